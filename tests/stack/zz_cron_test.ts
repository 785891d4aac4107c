// pg_cron runs the schedules on the local stack as on hosted Supabase. (Named zz_ to run last: by then
// the stack has usually crossed a minute boundary, so the test rarely has to wait.)
import { equal, ok } from "node:assert/strict";
import { withDb } from "../support/db.ts";
import { waitFor } from "../support/wait.ts";

Deno.test("pg_cron runs the jobs-sweep schedule every minute, and it succeeds", async () => {
  const jobs = await withDb((sql) => sql`select jobname, schedule from cron.job order by jobname`);
  const sweep = jobs.find((job) => job.jobname === "jobs-sweep");
  ok(sweep, "the jobs-sweep schedule exists");
  equal(sweep.schedule, "* * * * *");
  const run = await waitFor("a jobs-sweep run", async () => {
    const [row] = await withDb((sql) =>
      sql`
        select d.status, d.return_message from cron.job_run_details d join cron.job j on j.jobid = d.jobid
        where j.jobname = 'jobs-sweep' and d.status in ('succeeded', 'failed') order by d.start_time desc limit 1`
    );
    return row;
  }, { timeoutMs: 75_000, intervalMs: 1000 });
  equal(run.status, "succeeded", run.return_message);
});
