// POST /functions/v1/materials-retry {material_id} -> 202 {material}: a failed material is processed again.
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { retryMaterial } from "../_shared/domain/materials.ts";
import { MaterialInput } from "../_shared/contract/schemas.ts";
import { parseJsonBody } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "materials-retry", methods: ["POST"] }, async ({ request }) => {
  const caller = await authenticate(request);
  const input = await parseJsonBody(request, MaterialInput);
  return json({ material: await retryMaterial(caller, input.material_id) }, 202);
});

export default { fetch: handler };
