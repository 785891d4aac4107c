// DELETE /functions/v1/materials-delete {material_id} -> {deleted: true, material_id}
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { deleteMaterial } from "../_shared/domain/materials.ts";
import { MaterialInput } from "../_shared/contract/schemas.ts";
import { parseJsonBody } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "materials-delete", methods: ["DELETE"] }, async ({ request }) => {
  const caller = await authenticate(request);
  const input = await parseJsonBody(request, MaterialInput);
  await deleteMaterial(caller, input.material_id);
  return json({ deleted: true, material_id: input.material_id });
});

export default { fetch: handler };
