// Security group verbs: inbound rules, which decide what reaches each instance in the group.
import { refuse } from '../../errors.js';
import { maskedCidr, parsePortRange } from '../../cidr.js';
import { touchRuleChange } from '../../roster.js';
import { PROTOCOLS, type SecurityGroupRule } from '../../types.js';
import { resolveSecurityGroup } from '../resolve.js';
import { worldVerb, type FlagInput } from '../spec.js';

const GROUP_ARG = { name: 'group', kind: 'security-group', help: 'security group id or name' } as const;

const RULE_FLAGS = [
  { name: 'protocol', kind: 'word', help: 'tcp, udp, icmp or all', values: PROTOCOLS, required: true },
  { name: 'port', kind: 'ports', help: 'a port or range, e.g. 443 or 8000-8100', required: true },
  { name: 'cidr', kind: 'cidr', help: 'source range, e.g. 0.0.0.0/0', required: true },
] as const;

/** The rule a command describes; its port range and block are well formed, as the parser checked them. */
function parseRule(input: FlagInput<typeof RULE_FLAGS>): SecurityGroupRule {
  const [fromPort, toPort] = parsePortRange(input.port)!;
  return { protocol: input.protocol, fromPort, toPort, cidr: maskedCidr(input.cidr) };
}

/**
 * The rule as the flags that give it (`--protocol tcp --port 443 --cidr 0.0.0.0/0`): its change's
 * event carries them, so that a script's reaction can put back a rule that was revoked.
 */
export const ruleFlags = (rule: SecurityGroupRule) =>
  `--protocol ${rule.protocol} --port ${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`} --cidr ${rule.cidr}`;

const sameRule = (a: SecurityGroupRule, b: SecurityGroupRule) =>
  a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort && a.cidr === b.cidr;

export const SECURITY_GROUP_VERBS = [
  worldVerb(
    {
      verb: 'authorize-ingress',
      scope: 'world',
      summary: 'allow inbound traffic in a security group',
      args: [GROUP_ARG],
      flags: RULE_FLAGS,
    },
    (world, input, events) => {
      const group = resolveSecurityGroup(world, input.group);
      const rule = parseRule(input);
      if (group.ingress.some((r) => sameRule(r, rule)))
        refuse('InvalidPermission.Duplicate', `${group.id} already allows that`);
      group.ingress.push(rule);
      touchRuleChange(world, group, rule);
      events.emit(
        'ingress-authorized',
        'info',
        group.id,
        `${group.id} (${group.name}) allows ${rule.protocol}/${input.port} from ${rule.cidr}`,
        { rule: ruleFlags(rule) },
      );
    },
  ),
  worldVerb(
    {
      verb: 'revoke-ingress',
      scope: 'world',
      summary: 'remove an inbound rule from a security group',
      args: [GROUP_ARG],
      flags: RULE_FLAGS,
    },
    (world, input, events) => {
      const group = resolveSecurityGroup(world, input.group);
      const rule = parseRule(input);
      const index = group.ingress.findIndex((r) => sameRule(r, rule));
      if (index < 0) refuse('InvalidPermission.NotFound', `${group.id} has no such rule`);
      group.ingress.splice(index, 1);
      touchRuleChange(world, group, rule);
      events.emit(
        'ingress-revoked',
        'info',
        group.id,
        `${group.id} (${group.name}) no longer allows ${rule.protocol}/${input.port} from ${rule.cidr}`,
        { rule: ruleFlags(rule) },
      );
    },
  ),
];
