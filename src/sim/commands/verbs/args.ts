// Arguments several verbs share, declared once so that their help and completion read alike.

export const INSTANCE_ARG = {
  name: 'instance',
  kind: 'instance',
  help: 'instance id, unique id prefix, or Name',
} as const;
export const VOLUME_ARG = { name: 'volume', kind: 'volume', help: 'volume id or unique prefix' } as const;

/** Seven simulated days, the longest a level lasts: no timer needs to reach further. */
export const WEEK = 7 * 86_400;
