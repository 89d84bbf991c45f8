# workerd configuration of one self-hosted edge resolver location.
#
#   workerd serve --experimental edge.capnp
#
# worker.js is the bundle from `npm run build:edge`, placed beside this file.
# The replica's SQLite files live in /var/lib/ans-edge/replicas and survive
# restarts; mount a volume there. Settings come from environment variables:
# ANS_ORIGIN_URL, ANS_EDGE_ID and ANS_PUSH_JWKS are required, and the
# ANS_*_SECONDS and ANS_ISOLATE_CACHE_MAX_ENTRIES ones have defaults.
# `--experimental` is needed because the replica object uses SQLite storage.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "edge", worker = .edgeWorker),
    (name = "replica-storage", disk = (path = "/var/lib/ans-edge/replicas", writable = true)),
    # Outbound requests go only to ANS_ORIGIN_URL. "private" and "local" let
    # the control plane run on the same network or host as the edge.
    (name = "internet", network = (
      allow = ["public", "private", "local"],
      tlsOptions = (trustBrowserCas = true),
    )),
  ],
  sockets = [
    (name = "http", address = "*:8787", http = (), service = "edge"),
  ],
);

const edgeWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
  ],
  compatibilityDate = "2026-04-26",
  bindings = [
    (name = "REPLICA", durableObjectNamespace = "EdgeReplica"),
    (name = "ANS_ORIGIN_URL", fromEnvironment = "ANS_ORIGIN_URL"),
    (name = "ANS_EDGE_ID", fromEnvironment = "ANS_EDGE_ID"),
    (name = "ANS_PUSH_JWKS", fromEnvironment = "ANS_PUSH_JWKS"),
    (name = "ANS_CACHE_TTL_SECONDS", fromEnvironment = "ANS_CACHE_TTL_SECONDS"),
    (name = "ANS_NEGATIVE_TTL_SECONDS", fromEnvironment = "ANS_NEGATIVE_TTL_SECONDS"),
    (name = "ANS_SYNC_INTERVAL_SECONDS", fromEnvironment = "ANS_SYNC_INTERVAL_SECONDS"),
    (name = "ANS_ISOLATE_CACHE_MAX_ENTRIES", fromEnvironment = "ANS_ISOLATE_CACHE_MAX_ENTRIES"),
  ],
  durableObjectNamespaces = [
    (className = "EdgeReplica", uniqueKey = "ans-edge-replica", enableSql = true),
  ],
  durableObjectStorage = (localDisk = "replica-storage"),
  globalOutbound = "internet",
);
