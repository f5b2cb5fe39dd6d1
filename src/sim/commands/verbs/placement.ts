// Placement group verbs: how EC2 spreads or packs a group's instances over hosts and racks.
import { refuse } from '../../errors.js';
import { checkNameLength } from '../../names.js';
import { MAX_PARTITIONS } from '../../placement.js';
import { PLACEMENT_STRATEGIES } from '../../types.js';
import { worldVerb } from '../spec.js';

export const PLACEMENT_VERBS = [
  worldVerb(
    {
      verb: 'create-placement-group',
      scope: 'world',
      summary: 'create a cluster, spread or partition placement group',
      args: [{ name: 'name', kind: 'word', help: 'group name' }],
      flags: [
        { name: 'strategy', kind: 'word', help: 'placement strategy', values: PLACEMENT_STRATEGIES, required: true },
        { name: 'partitions', kind: 'int', help: 'partitions per zone (partition strategy)', range: [1, 7] },
      ],
    },
    (world, input, events) => {
      const { name, strategy } = input;
      checkNameLength('<name>', name);
      if (world.placementGroups[name])
        refuse('InvalidPlacementGroup.Duplicate', `placement group ${name} already exists`);
      const partitions = input.partitions ?? (strategy === 'partition' ? 2 : 0);
      if (strategy !== 'partition' && input.partitions !== undefined)
        refuse('InvalidParameterCombination', '--partitions applies only to the partition strategy');
      if (strategy === 'partition' && (partitions < 1 || partitions > MAX_PARTITIONS))
        refuse('InvalidParameterValue', `--partitions must be 1-${MAX_PARTITIONS}`);
      world.placementGroups[name] = { name, strategy, partitions };
      events.emit('placement-group-created', 'info', name, `${strategy} placement group ${name} created`);
    },
  ),
];
