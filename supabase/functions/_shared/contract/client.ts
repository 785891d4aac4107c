/**
 * The typed client for frontends: one method per function (camelCase of its name), on top of
 * `supabase.functions.invoke`, with request and response types inferred from the zod schemas the functions
 * validate with. Every method resolves (never throws) to `{data, error, status, requestId}`.
 *
 * ```ts
 * const api = createApiClient(supabase); // supabase-js created with `accessToken: () => clerk.session?.getToken()`
 * const { data, error } = await api.teamsCreate({ name: "Platform", profile: { size: 6, work_mode: "hybrid" } });
 * ```
 *
 * The operation table below restates api_spec.ts's response schemas with their precise types (ENDPOINTS is
 * typed as `Endpoint[]`, which erases them); tests/docs/client_test.ts fails when the two disagree.
 */
import {
  FunctionsFetchError,
  FunctionsHttpError,
  FunctionsRelayError,
  type SupabaseClient,
} from "@supabase/supabase-js";
import { z } from "zod";
import { HealthOk } from "./health.ts";
import {
  ActivitiesQuery,
  CreateTeamInput,
  CustomizeActivityInput,
  DeleteTeamInput,
  GenerateActivitiesInput,
  Job,
  JobQuery,
  JobsQuery,
  Material,
  MaterialInput,
  MaterialsQuery,
  Organization,
  OrganizationQuery,
  PublicActivitiesQuery,
  PublicActivity,
  Quota,
  Team,
  TeamActivity,
  UpdateActivityStatusInput,
  UpdateTeamInput,
} from "./schemas.ts";
import { IndexResponse } from "./openapi.ts";

type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** How one function is called and what it answers. */
export interface ClientOperation {
  name: string;
  method: Method;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Multipart fields: `binary` ones take a Blob or File, the others a string (`string?`: optional). */
  multipart?: Record<string, "string" | "string?" | "binary">;
  idempotencyKey?: boolean;
  status: number;
  response: z.ZodType;
}

const QuotaShort = Quota.omit({ feature: true, reserved: true });

/** Every function, keyed by its client method name. */
export const OPERATIONS = {
  health: {
    name: "health",
    method: "GET",
    status: 200,
    response: HealthOk,
  },
  clerkWebhook: {
    name: "clerk-webhook",
    method: "POST",
    body: z.object({ type: z.string(), data: z.record(z.string(), z.unknown()), timestamp: z.number().optional() }),
    status: 200,
    response: z.object({
      received: z.literal(true),
      outcome: z.enum(["applied", "duplicate", "ignored"]),
      adjusted: z.array(z.object({ field: z.string(), change: z.string() })).optional(),
    }),
  },
  clerkWebhookStatus: {
    name: "clerk-webhook",
    method: "GET",
    status: 200,
    response: z.object({ status: z.literal("ok"), signing_secret_configured: z.literal(true) }),
  },
  teamsCreate: {
    name: "teams-create",
    method: "POST",
    body: CreateTeamInput,
    status: 201,
    response: z.object({ team: Team }),
  },
  teamsList: {
    name: "teams-list",
    method: "GET",
    query: OrganizationQuery,
    status: 200,
    response: z.object({ teams: z.array(Team) }),
  },
  teamsUpdate: {
    name: "teams-update",
    method: "PATCH",
    body: UpdateTeamInput,
    status: 200,
    response: z.object({ team: Team }),
  },
  teamsDelete: {
    name: "teams-delete",
    method: "DELETE",
    body: DeleteTeamInput,
    status: 200,
    response: z.object({ deleted: z.literal(true), team_id: z.uuid(), removed_files: z.number().int() }),
  },
  publicActivitiesList: {
    name: "public-activities-list",
    method: "GET",
    query: PublicActivitiesQuery,
    status: 200,
    response: z.object({ activities: z.array(PublicActivity), next_cursor: z.string().nullable() }),
  },
  quotaStatus: {
    name: "quota-status",
    method: "GET",
    query: OrganizationQuery,
    status: 200,
    response: z.object({ organization: Organization, quotas: z.array(Quota) }),
  },
  activitiesCustomize: {
    name: "activities-customize",
    method: "POST",
    body: CustomizeActivityInput,
    idempotencyKey: true,
    status: 201,
    response: z.object({ activity: TeamActivity, quota: QuotaShort }),
  },
  activitiesGenerateCustom: {
    name: "activities-generate-custom",
    method: "POST",
    body: GenerateActivitiesInput,
    idempotencyKey: true,
    status: 202,
    response: z.object({ job_id: z.uuid(), status: Job.shape.status }),
  },
  activitiesList: {
    name: "activities-list",
    method: "GET",
    query: ActivitiesQuery,
    status: 200,
    response: z.object({ activities: z.array(TeamActivity) }),
  },
  activitiesUpdateStatus: {
    name: "activities-update-status",
    method: "PATCH",
    body: UpdateActivityStatusInput,
    status: 200,
    response: z.object({ activity: TeamActivity }),
  },
  jobsGet: {
    name: "jobs-get",
    method: "GET",
    query: JobQuery,
    status: 200,
    response: z.object({ job: Job, activities: z.array(TeamActivity).optional() }),
  },
  jobsList: {
    name: "jobs-list",
    method: "GET",
    query: JobsQuery,
    status: 200,
    response: z.object({ jobs: z.array(Job) }),
  },
  jobsWorker: {
    name: "jobs-worker",
    method: "POST",
    status: 202,
    response: z.object({
      accepted: z.literal(true),
      started: z.boolean(),
      reason: z.string().nullable(),
      worker: z.string(),
    }),
  },
  materialsUpload: {
    name: "materials-upload",
    method: "POST",
    multipart: { team_id: "string", organization_id: "string?", file: "binary" },
    status: 201,
    response: z.object({ material: Material }),
  },
  materialsList: {
    name: "materials-list",
    method: "GET",
    query: MaterialsQuery,
    status: 200,
    response: z.object({ materials: z.array(Material) }),
  },
  materialsDownload: {
    name: "materials-download",
    method: "GET",
    query: MaterialInput,
    status: 200,
    response: z.object({ url: z.string(), expires_in: z.number().int(), filename: z.string() }),
  },
  materialsRetry: {
    name: "materials-retry",
    method: "POST",
    body: MaterialInput,
    status: 202,
    response: z.object({ material: Material }),
  },
  materialsDelete: {
    name: "materials-delete",
    method: "DELETE",
    body: MaterialInput,
    status: 200,
    response: z.object({ deleted: z.literal(true), material_id: z.uuid() }),
  },
  openapi: {
    name: "openapi",
    method: "GET",
    status: 200,
    response: z.record(z.string(), z.unknown()),
  },
  docs: {
    name: "docs",
    method: "GET",
    status: 200,
    response: z.string(),
  },
  docsRedoc: {
    name: "docs/redoc",
    method: "GET",
    status: 200,
    response: z.string(),
  },
  index: {
    name: "index",
    method: "GET",
    status: 200,
    response: IndexResponse,
  },
} as const satisfies Record<string, ClientOperation>;

/** The operations table's type. */
export type Operations = typeof OPERATIONS;

/** A client method's name. */
export type OperationName = keyof Operations;

/** Query values as a URL carries them: numbers are accepted where the function coerces them. */
type QueryInput<T> = { [K in keyof T]: unknown extends T[K] ? string | number : T[K] };

/** What a method takes: its query, its JSON body, its multipart fields, or nothing. */
export type InputOf<Op> = Op extends { query: infer S extends z.ZodType } ? QueryInput<z.input<S>>
  : Op extends { body: infer S extends z.ZodType } ? z.input<S>
  : Op extends { multipart: infer M } ?
      & { [K in keyof M as M[K] extends "string?" ? never : K]: M[K] extends "binary" ? Blob : string }
      & { [K in keyof M as M[K] extends "string?" ? K : never]?: string }
  : undefined;

/** What a method answers on success. */
export type OutputOf<Op> = Op extends { response: infer S extends z.ZodType } ? z.output<S> : never;

/** Options of one call. */
export interface CallOptions<Op = ClientOperation> {
  /** The `Idempotency-Key` header (only where the function accepts one). */
  idempotencyKey?: Op extends { idempotencyKey: true } ? string : never;
  /** More headers (e.g. Svix's for clerk-webhook, `x-worker-secret` for jobs-worker). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Milliseconds before the call is abandoned. */
  timeout?: number;
}

/** A failed call: the shared error body, or a network or relay failure (`status` 0 when nothing answered). */
export interface ApiClientError {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown> | null;
}

/** What every method resolves to. */
export type ApiResult<T> =
  | { data: T; error: null; status: number; requestId: string | null }
  | { data: null; error: ApiClientError; status: number; requestId: string | null };

/** The input may be left out where nothing in it is required. */
type Arguments<Op> = Partial<InputOf<Op>> extends InputOf<Op> ? [input?: InputOf<Op>, options?: CallOptions<Op>]
  : [input: InputOf<Op>, options?: CallOptions<Op>];

/** The typed client: one method per function. */
export type ApiClient = {
  [Name in OperationName]: (...args: Arguments<Operations[Name]>) => Promise<ApiResult<OutputOf<Operations[Name]>>>;
};

function queryString(input: unknown): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries((input ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function formData(fields: Record<string, "string" | "string?" | "binary">, input: unknown): FormData {
  const form = new FormData();
  const values = (input ?? {}) as Record<string, unknown>;
  for (const [field, type] of Object.entries(fields)) {
    const value = values[field];
    if (value === undefined || value === null) continue;
    if (type === "binary" && value instanceof Blob) {
      form.append(field, value, value instanceof File ? value.name : field);
    } else {
      form.append(field, String(value));
    }
  }
  return form;
}

async function errorOf(error: unknown): Promise<{ error: ApiClientError; status: number; requestId: string | null }> {
  if (error instanceof FunctionsHttpError || error instanceof FunctionsRelayError) {
    const response = error.context as Response;
    const requestId = response.headers.get("x-request-id");
    const text = await response.text().catch(() => "");
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: a gateway or relay page
    }
    const shaped = (body?.error ?? body) as Record<string, unknown> | null;
    const fallbackCode = error instanceof FunctionsRelayError ? "relay_error" : `http_${response.status}`;
    return {
      status: response.status,
      requestId,
      error: {
        status: response.status,
        code: typeof shaped?.code === "string" ? shaped.code : fallbackCode,
        message: typeof shaped?.message === "string" ? shaped.message : text.slice(0, 200) || response.statusText,
        details: shaped?.details && typeof shaped.details === "object"
          ? shaped.details as Record<string, unknown>
          : null,
      },
    };
  }
  const reason = error instanceof FunctionsFetchError ? error.context : error;
  return {
    status: 0,
    requestId: null,
    error: {
      status: 0,
      code: "network_error",
      message: `The function could not be reached: ${reason instanceof Error ? reason.message : String(reason)}`,
      details: null,
    },
  };
}

async function invokeOperation(
  supabase: SupabaseClient,
  operation: ClientOperation,
  input: unknown,
  options: CallOptions = {},
): Promise<ApiResult<unknown>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.idempotencyKey !== undefined) headers["Idempotency-Key"] = options.idempotencyKey;
  let body: FormData | Record<string, unknown> | undefined;
  if (operation.multipart) body = formData(operation.multipart, input);
  else if (operation.body) body = input as Record<string, unknown>;
  const path = operation.query ? `${operation.name}${queryString(input)}` : operation.name;
  try {
    const { data, error, response } = await supabase.functions.invoke(path, {
      method: operation.method,
      body,
      headers,
      signal: options.signal,
      timeout: options.timeout,
    });
    if (error) return { data: null, ...(await errorOf(error)) };
    return {
      data,
      error: null,
      status: response?.status ?? operation.status,
      requestId: response?.headers.get("x-request-id") ?? null,
    };
  } catch (error) {
    return { data: null, ...(await errorOf(error)) };
  }
}

/** The typed client over a supabase-js client (which sends the user's session token). */
export function createApiClient(supabase: SupabaseClient): ApiClient {
  const client: Record<string, unknown> = {};
  for (const [method, operation] of Object.entries(OPERATIONS)) {
    client[method] = (input?: unknown, options?: CallOptions) =>
      invokeOperation(supabase, operation as ClientOperation, input, options);
  }
  return client as ApiClient;
}
