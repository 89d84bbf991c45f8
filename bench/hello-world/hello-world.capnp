# workerd configuration of the edge benchmark's baseline worker.
#
#   workerd serve hello-world.capnp
#
# worker.js is the bundle of worker.ts. The benchmark replaces the listening
# address with a free loopback port and sets HELLO_BODY_BYTES. The
# compatibility date is the edge worker's, so both run with the same flags.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "hello", worker = .helloWorker),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:8080", http = (), service = "hello"),
  ],
);

const helloWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
  ],
  compatibilityDate = "2026-04-26",
  bindings = [
    (name = "HELLO_BODY_BYTES", fromEnvironment = "HELLO_BODY_BYTES"),
  ],
);
