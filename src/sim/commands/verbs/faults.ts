// Scenario verbs: the faults a level's injects and an instructor's script bring about. Players
// cannot issue them.
import { instanceType } from '../../catalogue.js';
import { refuse } from '../../errors.js';
import {
  failHost,
  hangGuest,
  impairHost,
  restoreHost,
  scheduleEvent,
  setSpotCapacity,
  setVolumeImpaired,
  setZoneImpaired,
  surgeDemand,
  SURGE_FACTOR_MAX,
  SURGE_SECONDS_MAX,
} from '../../faults.js';
import { spotPoolKey, zoneIdOf } from '../../instances.js';
import { SCHEDULED_EVENT_CODES } from '../../types.js';
import { resolveHost, resolveInstance, resolveVolume } from '../resolve.js';
import { worldVerb } from '../spec.js';
import { INSTANCE_ARG, VOLUME_ARG, WEEK } from './args.js';

const HOST_ARG = { name: 'host', kind: 'host', help: 'host id, or an instance whose host it is' } as const;
const ZONE_ARG = { name: 'zone', kind: 'zone', help: 'zone name or id' } as const;

export const FAULT_VERBS = [
  worldVerb(
    {
      verb: 'fail-host',
      scope: 'fault',
      summary: 'a host fails: its instances lose their system check and instance store',
      args: [HOST_ARG],
      flags: [],
    },
    (world, input, events) => failHost(world, resolveHost(world, input.host), events),
  ),
  worldVerb(
    {
      verb: 'impair-host',
      scope: 'fault',
      summary: 'a host degrades: EC2 schedules its instances for retirement',
      args: [HOST_ARG],
      flags: [{ name: 'retire-in', kind: 'duration', help: 'time until retirement (default 2h)', range: [0, WEEK] }],
    },
    (world, input, events) => impairHost(world, resolveHost(world, input.host), input['retire-in'] ?? 7200, events),
  ),
  worldVerb(
    {
      verb: 'restore-host',
      scope: 'fault',
      summary: 'a failed or degraded host is healthy again',
      args: [{ name: 'host', kind: 'host', help: 'host id' }],
      flags: [],
    },
    (world, input, events) => restoreHost(world, resolveHost(world, input.host), events),
  ),
  worldVerb(
    {
      verb: 'impair-zone',
      scope: 'fault',
      summary: 'a zone loses connectivity and stops accepting launches',
      args: [ZONE_ARG],
      flags: [],
    },
    (world, input, events) => setZoneImpaired(world, zoneIdOf(world, input.zone), true, events),
  ),
  worldVerb(
    { verb: 'restore-zone', scope: 'fault', summary: 'an impaired zone recovers', args: [ZONE_ARG], flags: [] },
    (world, input, events) => setZoneImpaired(world, zoneIdOf(world, input.zone), false, events),
  ),
  worldVerb(
    { verb: 'impair-volume', scope: 'fault', summary: "a volume's I/O stalls", args: [VOLUME_ARG], flags: [] },
    (world, input, events) => setVolumeImpaired(resolveVolume(world, input.volume), true, events),
  ),
  worldVerb(
    { verb: 'restore-volume', scope: 'fault', summary: 'a stalled volume recovers', args: [VOLUME_ARG], flags: [] },
    (world, input, events) => setVolumeImpaired(resolveVolume(world, input.volume), false, events),
  ),
  worldVerb(
    {
      verb: 'hang-guest',
      scope: 'fault',
      summary: "an instance's guest OS stops responding",
      args: [INSTANCE_ARG],
      flags: [],
    },
    (world, input, events) => hangGuest(resolveInstance(world, input.instance), events),
  ),
  worldVerb(
    {
      verb: 'set-spot-capacity',
      scope: 'fault',
      summary: "set a Spot pool's capacity",
      args: [
        { name: 'type', kind: 'instance-type', help: 'instance type of the pool' },
        { name: 'zone', kind: 'zone', help: 'zone of the pool' },
        { name: 'capacity', kind: 'int', help: 'instances the pool can hold', range: [0, 1_000_000] },
      ],
      flags: [],
    },
    (world, input, events) => {
      const { type, capacity } = input;
      if (!instanceType(type)) refuse('InvalidParameterValue', `unknown instance type ${type}`);
      setSpotCapacity(world, spotPoolKey(type, zoneIdOf(world, input.zone)), capacity, events);
    },
  ),
  worldVerb(
    {
      verb: 'surge-demand',
      scope: 'fault',
      summary: "a workload's demand multiplies for a while",
      args: [
        { name: 'workload', kind: 'workload', help: 'workload name' },
        {
          name: 'factor',
          kind: 'number',
          help: 'multiple of its demand, e.g. 2.5',
          range: [1, SURGE_FACTOR_MAX],
        },
      ],
      flags: [
        {
          name: 'for',
          kind: 'duration',
          help: 'how long the surge lasts, up to 24h',
          required: true,
          range: [1, SURGE_SECONDS_MAX],
        },
      ],
    },
    (world, input, events) => surgeDemand(world, input.workload, input.factor, input.for, events),
  ),
  worldVerb(
    {
      verb: 'schedule-event',
      scope: 'fault',
      summary: 'schedule a maintenance event for an instance',
      args: [INSTANCE_ARG, { name: 'code', kind: 'word', help: 'event code', values: SCHEDULED_EVENT_CODES }],
      flags: [{ name: 'in', kind: 'duration', help: 'time until the event (default 1h)', range: [0, WEEK] }],
    },
    (world, input, events) =>
      scheduleEvent(
        world,
        resolveInstance(world, input.instance),
        input.code,
        world.tick + (input.in ?? 3600),
        null,
        events,
      ),
  ),
];
