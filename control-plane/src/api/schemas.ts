import { z } from "@hono/zod-openapi";

/** The error body every failing call returns. */
export const errorSchema = z
	.object({
		error: z.object({
			code: z.string().openapi({ example: "NAME_TAKEN" }),
			message: z.string(),
			field: z.string().optional(),
		}),
	})
	.openapi("Error");
