// Every id a world's record gives of another is checked before a snapshot is restored: a field
// added to the world's types that names a record must join the list, or be said here to name
// what may be gone.
import test from 'ava';
import schema from '../../src/store/snapshot-schema.json' with { type: 'json' };
import { KEY_FIELD, REFERENCES } from '../../src/store/world-integrity.js';

type Node = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Node>;
  additionalProperties?: Node | boolean;
  items?: Node;
  anyOf?: Node[];
};
const definitions = schema.definitions as Record<string, Node>;

/** Every field of the world whose name says it holds ids (`…Id`, `…Ids`), as a path: `*` a table's key, `[]` a list's item. */
function idFields(node: Node, path: string, seen: readonly string[], out: Set<string>): Set<string> {
  if (node.$ref) {
    const name = decodeURIComponent(node.$ref.replace('#/definitions/', ''));
    if (!seen.includes(name)) idFields(definitions[name]!, path, [...seen, name], out);
    return out;
  }
  for (const [key, child] of Object.entries(node.properties ?? {})) idFields(child, `${path}.${key}`, seen, out);
  if (typeof node.additionalProperties === 'object') idFields(node.additionalProperties, `${path}.*`, seen, out);
  if (node.items) idFields(node.items, `${path}[]`, seen, out);
  for (const option of node.anyOf ?? []) idFields(option, path, seen, out);
  if (/(Id|Ids)(\[\])?$/.test(path) && !node.properties && !node.items) out.add(path.slice(1));
  return out;
}

/** Ids that may name what has no record, or is gone: each with why. */
const NAMING_NO_RECORD: Record<string, string> = {
  'zones[].zoneId': "a zone's own id: the zones are the level's, which the check holds them to",
  'snapshots.*.volumeId': 'a snapshot outlives the volume it was taken of',
  'instances.*.amiId': 'images have no table: the level names them',
  'vpc.internetGatewayId': 'a gateway has no record: routes name it, and a detached one leaves them blackholes',
  'otherVpcs[].internetGatewayId': 'as vpc.internetGatewayId',
};

const VPC_TABLES = new Set(['subnets', 'routeTables', 'networkAcls', 'natGateways']);

test('every field of the world that holds ids is checked against its table, or said to name what may be gone', (t) => {
  const checked = new Set<string>();
  const add = (table: string, field: string) => {
    for (const at of VPC_TABLES.has(table) ? [`vpc.${table}`, `otherVpcs[].${table}`] : [table])
      checked.add(`${at}.*.${field}`);
  };
  for (const ref of REFERENCES) add(ref.table, ref.field);
  for (const [table, field] of Object.entries(KEY_FIELD)) add(table, field);
  const found = idFields(definitions.World!, '', ['World'], new Set());
  const unchecked = [...found].filter((f) => !checked.has(f) && !(f in NAMING_NO_RECORD));
  t.deepEqual(unchecked, []);
  // And the list names only fields the world has.
  t.deepEqual(
    [...checked].filter((f) => /(Id|Ids)(\[\])?$/.test(f) && !found.has(f)),
    [],
  );
});
