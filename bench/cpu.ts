// CPU time, the benchmarks' clock: the machines they run on are shared, and CPU time is what this
// process spent whatever else the machine was doing.

/** CPU time (user and system) this process has spent, in milliseconds. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
