#!/usr/bin/env bash
# A Spot interruption handler in plain shell, as a trainee might write one. It polls every running
# instance's metadata service with IMDSv2; when an interruption notice appears, it launches an
# on-demand replacement in another zone, in the same security groups (without them no client could
# reach it), through the exercise's control endpoint. It also acknowledges new incidents. Needs only bash, curl and sed.
#   CONTROL=http://127.0.0.1:PORT examples/handlers/spot-drain.sh
set -u
control=${CONTROL:?set CONTROL to the exercise control endpoint, printed when the exercise starts}
replaced=" "

post() { curl -s -X POST --data "$1" "$control/commands"; echo; }
# The value of a string field in a one-line JSON object.
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<< "$2"; }
# A list of strings as launch takes it: a,b,c.
list() { sed -n "s/.*\"$1\":\[\"\([^]]*\)\"\].*/\1/p" <<< "$2" | sed 's/","/,/g'; }

while state=$(curl -sf "$control/state"); do
  [[ $state == *'"finished":true'* ]] && break
  # GET /state lists instances as flat JSON objects: cut out the list, one object per line.
  while read -r row; do
    id=$(field id "$row")
    [[ $replaced == *" $id "* ]] && continue
    imds=$(field imds "$row")
    token=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$imds/latest/api/token") || continue
    notice=$(curl -sf -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/spot/instance-action") || continue
    echo "$id: interruption notice $notice"
    zone=$(field zone "$row")
    other=use1-az2; [[ $zone == use1-az2 ]] && other=use1-az1
    post "launch $(field type "$row") --az $other --workload $(field workload "$row") --sg $(list securityGroups "$row") --name $(field name "$row")-od"
    replaced+="$id "
  done < <(sed 's/.*"instances":\[//; s/\],"incidents".*//; s/},{/}\n{/g' <<< "$state" | grep '"market":"spot"' | grep '"imds":"http')
  for incident in $(grep -o '"id":"INC-[0-9]*","severity":"SEV[0-9]","state":"detected"' <<< "$state" | cut -d'"' -f4); do
    post "ack $incident"
  done
  sleep 0.2
done
