/** The public activity catalog: filters, text search and keyset pagination. */
import type { z } from "zod";
import type { Caller } from "../http/auth.ts";
import { asUser } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { claimsOf } from "./organizations.ts";
import type { PublicActivitiesQuery, PublicActivity } from "../contract/schemas.ts";

type Query = z.infer<typeof PublicActivitiesQuery>;
type Activity = z.infer<typeof PublicActivity>;

interface Cursor {
  title: string;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify([cursor.title, cursor.id])).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodeCursor(value: string): Cursor {
  try {
    const [title, id] = JSON.parse(atob(value.replaceAll("-", "+").replaceAll("_", "/")));
    if (
      typeof title === "string" && title.length <= 500 && !title.includes("\0") && typeof id === "string" &&
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ) return { title, id };
  } catch {
    // fall through
  }
  throw new ApiError(ErrorCode.invalidInput, "Invalid cursor: use next_cursor from the previous page", {
    field: "cursor",
  });
}

/** One page of catalog activities, by title, with the cursor of the next page (null on the last). */
export async function listPublicActivities(
  caller: Caller,
  query: Query,
): Promise<{ activities: Activity[]; next_cursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  return await asUser(claimsOf(caller), async (tx) => {
    const rows = await tx<Activity[]>`
      select id, slug, title, summary, category, duration_minutes, min_group_size, max_group_size, work_modes,
             objectives, materials, preparation, steps, facilitation_tips, debrief_questions, tags
      from public.public_activities
      where true
        ${query.category ? tx`and category = ${query.category}` : tx``}
        ${query.work_mode ? tx`and ${query.work_mode} = any (work_modes)` : tx``}
        ${query.min_duration !== undefined ? tx`and duration_minutes >= ${query.min_duration}` : tx``}
        ${query.max_duration !== undefined ? tx`and duration_minutes <= ${query.max_duration}` : tx``}
        ${
      query.group_size !== undefined
        ? tx`and min_group_size <= ${query.group_size} and max_group_size >= ${query.group_size}`
        : tx``
    }
        ${query.q ? tx`and search_vector @@ websearch_to_tsquery('english', ${query.q})` : tx``}
        ${after ? tx`and (title, id) > (${after.title}, ${after.id}::uuid)` : tx``}
      order by title, id
      limit ${query.limit + 1}`;
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      activities: page,
      next_cursor: rows.length > query.limit && last ? encodeCursor({ title: last.title, id: last.id }) : null,
    };
  });
}
