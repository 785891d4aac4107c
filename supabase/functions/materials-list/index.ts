// GET /functions/v1/materials-list?team_id= -> {materials}
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { listMaterials } from "../_shared/domain/materials.ts";
import { MaterialsQuery } from "../_shared/contract/schemas.ts";
import { parseQuery } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "materials-list", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, MaterialsQuery);
  return json({ materials: await listMaterials(caller, query.team_id) });
});

export default { fetch: handler };
