// GET /functions/v1/materials-list?team_id= -> {materials}
import { authenticate } from "../_shared/auth.ts";
import { createHandler, json } from "../_shared/http.ts";
import { listMaterials } from "../_shared/materials.ts";
import { MaterialsQuery } from "../_shared/schemas.ts";
import { parseQuery } from "../_shared/validate.ts";

const handler = createHandler({ name: "materials-list", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, MaterialsQuery);
  return json({ materials: await listMaterials(caller, query.team_id) });
});

export default { fetch: handler };
