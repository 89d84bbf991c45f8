/**
 * Maps every failure to the JSON error body `{"error":{"code","message","field"}}`
 * with the right status, and logs the unexpected ones.
 *
 * @module
 */
import { AnsError, type ErrorBody, isAnsError } from "@ans/shared/errors";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./env.ts";

/** Replies with an {@link AnsError}'s body and status. */
export function errorResponse(c: Context, error: AnsError): Response {
	return c.json(error.toBody(), error.status as ContentfulStatusCode);
}

/** Hono `onError` handler. */
export function handleError(error: Error, c: Context<AppEnv>): Response {
	if (isAnsError(error)) {
		if (error.status >= 500) {
			c.var.logger.error({ err: error, code: error.code }, "request failed");
		}
		return errorResponse(c, error);
	}
	if (error instanceof HTTPException) {
		return errorResponse(c, fromHttpException(error));
	}
	c.var.logger.error({ err: error }, "unhandled error");
	return errorResponse(
		c,
		new AnsError(
			"INTERNAL_ERROR",
			"internal error; the request id in the log has details",
			{
				status: 500,
			},
		),
	);
}

/** Hono `notFound` handler. */
export function handleNotFound(c: Context): Response {
	return errorResponse(
		c,
		new AnsError(
			"ROUTE_NOT_FOUND",
			`no route for ${c.req.method} ${c.req.path}`,
			{ status: 404 },
		),
	);
}

function fromHttpException(error: HTTPException): AnsError {
	if (error.status === 400 && /JSON/i.test(error.message)) {
		return new AnsError(
			"BODY_INVALID_JSON",
			"the request body is not valid JSON; check it with a JSON parser",
			{
				status: 400,
				field: "body",
			},
		);
	}
	if (error.status === 415) {
		return new AnsError(
			"CONTENT_TYPE_UNSUPPORTED",
			"send the body as JSON with the header Content-Type: application/json",
			{ status: 415, field: "content-type" },
		);
	}
	return new AnsError(
		`HTTP_${error.status}`,
		error.message || "request failed",
		{
			status: error.status,
		},
	);
}

export type { ErrorBody };
