#!/usr/bin/env bash
# A Spot interruption handler in plain shell, as a trainee might write one. Every POLL seconds (AWS
# advises 5) it reads each running Spot instance's metadata service with IMDSv2, keeping one token
# per instance until it expires (a 401 means: fetch a new one). When an interruption notice appears
# it launches one on-demand replacement in another zone, in the same security groups (without them
# no client could reach it), through the exercise's control endpoint, and it acknowledges new
# incidents. Needs only bash, curl and sed. Run it with
#   fleetops exercise 03-spot-reclaim --realtime --speed 10 --handler 'bash examples/handlers/spot-drain.sh'
# or by hand with the variables the exercise prints (FLEETOPS_CONTROL, FLEETOPS_CONTROL_TOKEN).
set -u
control=${FLEETOPS_CONTROL:?set FLEETOPS_CONTROL to the control endpoint printed when the exercise starts}
auth="Authorization: Bearer ${FLEETOPS_CONTROL_TOKEN:?set FLEETOPS_CONTROL_TOKEN to the token printed when the exercise starts}"
poll=${POLL:-5}
declare -A tokens=() replaced=()

# Each answer is one line of JSON, ending in a newline.
post() { curl -s -X POST -H "$auth" --data "$1" "$control/commands"; }
# Sets $value to a string field of a one-line JSON object (empty when it has none). Bash's own
# matching, not a sed per field: at --speed 10 every process started costs simulated seconds.
field() { [[ $2 =~ \"$1\":\"([^\"]*)\" ]] && value=${BASH_REMATCH[1]} || value=; }
# Sets $value to a list of strings as launch takes it: a,b,c.
list() {
  [[ $2 =~ \"$1\":\[\"([^]]*)\"\] ]] && value=${BASH_REMATCH[1]} || value=
  value=${value//\",\"/,}
}

# Sets $reply to the value at a metadata path, read with the instance's token: a token is fetched
# when there is none yet, and once more after a 401 (expired or revoked). Fails on 404 (nothing
# there: no notice yet) and on anything else. Runs in this shell, not a subshell, so tokens are kept.
metadata() {
  local id=$1 imds=$2 path=$3 out
  for attempt in 1 2; do
    if [[ -z ${tokens[$id]:-} ]]; then
      tokens[$id]=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600' "$imds/latest/api/token") || return 1
    fi
    out=$(curl -s -w '\n%{http_code}' -H "X-aws-ec2-metadata-token: ${tokens[$id]}" "$imds$path") || return 1
    case ${out##*$'\n'} in
      200) reply=${out%$'\n'*}; return 0 ;;
      401) tokens[$id]= ;;
      *) return 1 ;;
    esac
  done
  return 1
}

while state=$(curl -sf -H "$auth" "$control/state"); do
  [[ $state == *'"finished":true'* ]] && break
  printf -v started '%(%s)T' -1
  # GET /state lists instances as flat JSON objects: cut out the list, one object per line.
  while read -r row; do
    field id "$row"; id=$value
    [[ -n ${replaced[$id]:-} ]] && continue
    field imds "$row"
    metadata "$id" "$value" /latest/meta-data/spot/instance-action || continue
    echo "$id: interruption notice $reply"
    field zone "$row"
    other=use1-az2; [[ $value == use1-az2 ]] && other=use1-az1
    field type "$row"; type=$value
    field workload "$row"; workload=$value
    list securityGroups "$row"; groups=$value
    field name "$row"
    post "launch $type --az $other --workload $workload --sg $groups --name $value-od"
    replaced[$id]=1
  done < <(sed 's/.*"instances":\[//; s/\],"incidents".*//; s/},{/}\n{/g' <<< "$state" | grep '"market":"spot"' | grep '"imds":"http')
  for incident in $(grep -o '"id":"INC-[0-9]*","severity":"SEV[0-9]","state":"detected"' <<< "$state" | cut -d'"' -f4); do
    post "ack $incident"
  done
  # Every $poll seconds from the start of the last round, however long the round took (whole seconds).
  printf -v now '%(%s)T' -1
  if [[ $poll =~ ^[0-9]+$ ]]; then (( now - started < poll )) && sleep $(( poll - (now - started) )); else sleep "$poll"; fi
done
