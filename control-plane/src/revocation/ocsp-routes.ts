import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { OCSPResponseStatus } from "@peculiar/asn1-ocsp";
import type { Context } from "hono";
import type { AppEnv } from "../api/env.ts";
import type { Services } from "../api/services.ts";
import {
	decodeOcspGetRequest,
	MalformedOcspRequestError,
} from "./ocsp-request.ts";
import type { OcspReply } from "./ocsp-responder.ts";
import { encodeOcspStatusOnly } from "./ocsp-response.ts";

const OCSP_PATH = "/v1/ca/ocsp";

/**
 * Time an HTTP cache may keep a GET response without a nonce: 60 seconds,
 * the maximum time a positive resolution result may lag a change.
 */
const OCSP_GET_CACHE_SECONDS = 60;

const binary = z.string().openapi({ format: "binary" });

/**
 * Mounts the OCSP responder (RFC 6960, appendix A): `POST /v1/ca/ocsp` with
 * an `application/ocsp-request` body, and `GET /v1/ca/ocsp/<request>` with
 * the URL-encoded base64 DER request. Every reply, including one to a
 * malformed request, is an `application/ocsp-response` with HTTP 200.
 */
export function mountOcspRoutes(
	app: OpenAPIHono<AppEnv>,
	services: Services,
): void {
	registerOcspDocs(app);

	app.post(OCSP_PATH, async (c) => {
		const body = new Uint8Array(await c.req.arrayBuffer());
		const answer = await services.revocation.ocsp.respond(body);
		return ocspReply(c, answer, "no-store");
	});

	app.get(`${OCSP_PATH}/*`, async (c) => {
		// The raw path is read because base64 contains "/", which the router
		// would treat as a separator.
		const pathname = new URL(c.req.url).pathname;
		const segment = pathname.slice(OCSP_PATH.length + 1);
		let request: Uint8Array;
		try {
			request = decodeOcspGetRequest(segment);
		} catch (error) {
			if (error instanceof MalformedOcspRequestError) {
				return ocspReply(c, malformed(), "no-store");
			}
			throw error;
		}
		const answer = await services.revocation.ocsp.respond(request);
		const cacheable =
			answer.responseStatus === OCSPResponseStatus.successful &&
			!answer.hasNonce;
		return ocspReply(
			c,
			answer,
			cacheable ? `public, max-age=${OCSP_GET_CACHE_SECONDS}` : "no-store",
		);
	});
}

function ocspReply(
	c: Context<AppEnv>,
	answer: OcspReply,
	cacheControl: string,
): Response {
	return c.body(answer.der, 200, {
		"Content-Type": "application/ocsp-response",
		"Cache-Control": cacheControl,
	});
}

function malformed(): OcspReply {
	return {
		der: encodeOcspStatusOnly(OCSPResponseStatus.malformedRequest),
		responseStatus: OCSPResponseStatus.malformedRequest,
		hasNonce: false,
	};
}

function registerOcspDocs(app: OpenAPIHono<AppEnv>): void {
	const responses = {
		200: {
			description:
				"OCSPResponse; malformed requests get the malformedRequest status",
			content: { "application/ocsp-response": { schema: binary } },
		},
	};
	app.openAPIRegistry.registerPath({
		method: "post",
		path: OCSP_PATH,
		summary: "OCSP responder (RFC 6960)",
		request: {
			body: {
				required: true,
				content: { "application/ocsp-request": { schema: binary } },
			},
		},
		responses,
	});
	app.openAPIRegistry.registerPath({
		method: "get",
		path: `${OCSP_PATH}/{request}`,
		summary: "OCSP responder, GET form (RFC 6960, appendix A.1)",
		request: {
			params: z.object({
				request: z.string().openapi({
					description: "URL-encoded base64 of the DER OCSP request",
				}),
			}),
		},
		responses,
	});
}
