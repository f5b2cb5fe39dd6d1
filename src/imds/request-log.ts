// The last few IMDS requests of each instance, for the dashboard to show a handler polling.

export interface ImdsRequestRecord {
  instanceId: string;
  method: string;
  path: string;
  /** The HTTP status answered; 0 when no answer reached the client (a PUT past the instance's hop limit). */
  status: number;
  tick: number;
}

export class RequestLog {
  private readonly byInstance = new Map<string, ImdsRequestRecord[]>();

  constructor(private readonly limit: number) {}

  add(record: ImdsRequestRecord): void {
    let list = this.byInstance.get(record.instanceId);
    if (!list) this.byInstance.set(record.instanceId, (list = []));
    list.push(record);
    if (list.length > this.limit) list.shift();
  }

  /** Up to n of the instance's latest requests, oldest first. */
  recent(instanceId: string, n: number): ImdsRequestRecord[] {
    return n > 0 ? (this.byInstance.get(instanceId) ?? []).slice(-n) : [];
  }
}
