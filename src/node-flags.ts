/**
 * The flags every server process is started with: `npm start`, the Dockerfile, the benches and
 * the fault suite all take them from here (a test holds package.json and the Dockerfile to
 * this list), so what is measured is what runs.
 *
 * `--max-semi-space-size=64`: V8's young generation, where a request's short-lived objects
 * (headers, rows, log lines, promises) are born. At the default (16 MB a semi-space) the
 * scavenger runs often under load and promotes what is still waiting on a database round trip
 * into the old generation, which then needs full collections. Measured on signed reads against
 * PostgreSQL + Redis, two workers side by side in the same rounds: CPU per read 237 → 197 µs
 * and 243 → 207 µs (median), throughput +9% and +12% on average over the rounds. The cost is
 * memory: the young generation grows to at most 3 × 64 MB under load (it starts at 1 MB and
 * shrinks back when idle). V8 sizes it when the heap is set up, so it is a process flag, not a
 * setting the server could apply to itself.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
