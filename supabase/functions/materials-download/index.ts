// GET /functions/v1/materials-download?material_id= -> {url, expires_in, filename} (a signed URL, 60 s)
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { materialDownloadUrl } from "../_shared/domain/materials.ts";
import { MaterialInput } from "../_shared/contract/schemas.ts";
import { parseQuery } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "materials-download", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, MaterialInput);
  return json(await materialDownloadUrl(caller, query.material_id));
});

export default { fetch: handler };
