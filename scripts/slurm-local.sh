#!/usr/bin/env bash
# A throwaway single-node Slurm (slurmctld + slurmd + munged) on localhost, for CI and local tests
# of `pipeline submit`. Everything it writes lives under $SLURM_LOCAL_DIR; the packages it installs
# stay installed. Needs root (or passwordless sudo) for up/down/purge/all.
#
#   scripts/slurm-local.sh up                 install if missing, write config, start daemons, wait for the node
#   eval "$(scripts/slurm-local.sh env)"      export SLURM_CONF for sbatch/squeue/... (jobs inherit it)
#   scripts/slurm-local.sh smoke              4-task array + afterok job; checks their output files
#   scripts/slurm-local.sh wait ID... [--timeout S]   0 when every job COMPLETED; else prints states, 1 (failed) / 124 (timeout)
#   scripts/slurm-local.sh status | down | purge | all (= up, smoke, down)
#
# Environment: SLURM_LOCAL_DIR (default /tmp/slurm-local), SLURM_LOCAL_PORT (default 6817; slurmd
# uses PORT+1), SLURM_LOCAL_AUTH=munge|none (default munge), SLURM_LOCAL_NOINSTALL=1 (never apt-get).
set -euo pipefail

LOCAL_DIR="${SLURM_LOCAL_DIR:-/tmp/slurm-local}"
PORT="${SLURM_LOCAL_PORT:-6817}"
AUTH="${SLURM_LOCAL_AUTH:-munge}"
NOINSTALL="${SLURM_LOCAL_NOINSTALL:-0}"

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
CONF="$LOCAL_DIR/etc/slurm.conf"
RUN="$LOCAL_DIR/run"
LOGS="$LOCAL_DIR/log"
CTLD_PID="$RUN/slurmctld.pid"
SLURMD_PID="$RUN/slurmd.pid"
MUNGED_OURS="$RUN/munged.pid.ours"
MUNGE_PIDFILE=/run/munge/munged.pid
CLIENT_TIMEOUT=30      # seconds any single Slurm client call may take
STOP_TIMEOUT=15        # seconds a daemon gets after SIGTERM before SIGKILL

export SLURM_CONF="$CONF"

say() { printf 'slurm-local: %s\n' "$*" >&2; }
die() { printf 'slurm-local: error: %s\n' "$*" >&2; exit 1; }

# A Slurm client call that cannot hang.
sl() { timeout "$CLIENT_TIMEOUT" "$@"; }

validate_settings() {
  case "$AUTH" in munge|none) ;; *) die "SLURM_LOCAL_AUTH must be munge or none (got '$AUTH')" ;; esac
  if ! [[ "$PORT" =~ ^[0-9]+$ ]] || (( PORT < 1024 || PORT >= 65535 )); then
    die "SLURM_LOCAL_PORT must be a port number in 1024..65534 (got '$PORT')"
  fi
  [[ "$LOCAL_DIR" == /* ]] || die "SLURM_LOCAL_DIR must be an absolute path (got '$LOCAL_DIR')"
  [[ "$LOCAL_DIR" != *[[:space:]]* ]] || die "SLURM_LOCAL_DIR must not contain whitespace (slurm.conf cannot quote it)"
  [ "$(realpath -m "$LOCAL_DIR")" != / ] || die "SLURM_LOCAL_DIR must not be /"
}

# Daemon commands need root; re-run through passwordless sudo when we are not root.
need_root() {
  [ "$(id -u)" -eq 0 ] && return 0
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    exec sudo -n env SLURM_LOCAL_DIR="$LOCAL_DIR" SLURM_LOCAL_PORT="$PORT" SLURM_LOCAL_AUTH="$AUTH" \
      SLURM_LOCAL_NOINSTALL="$NOINSTALL" bash "$SELF" "$@"
  fi
  die "'$1' must run as root (or with passwordless sudo)"
}

# Waits until "$@" succeeds; polls every 0.2 s for at most $1 seconds. Returns 1 on timeout.
wait_until() {
  local limit=$1; shift
  local deadline=$(( $(date +%s%N) + limit * 1000000000 ))
  until "$@" >/dev/null 2>&1; do
    (( $(date +%s%N) < deadline )) || return 1
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------- install

install_packages() {
  local missing=() need
  for need in slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client; do
    command -v "${need%%:*}" >/dev/null 2>&1 || missing+=("${need#*:}")
  done
  if [ "$AUTH" = munge ]; then
    command -v munged >/dev/null 2>&1 || missing+=(munge)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$NOINSTALL" = 1 ] && die "missing packages ${missing[*]} and SLURM_LOCAL_NOINSTALL=1"
  command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get to install them"
  say "installing ${missing[*]} (apt-get)"
  # Lock::Timeout: another apt on a shared machine makes us wait (bounded) instead of failing.
  timeout 300 apt-get -o DPkg::Lock::Timeout=120 update -qq \
    || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get -o DPkg::Lock::Timeout=120 install -y -qq \
    --no-install-recommends slurmctld slurmd slurm-client munge >"$LOGS/apt-get.log" 2>&1 \
    || { tail -n 20 "$LOGS/apt-get.log" >&2; die "apt-get install failed (log: $LOGS/apt-get.log)"; }
  for need in slurmctld slurmd sbatch; do
    command -v "$need" >/dev/null 2>&1 || die "$need still missing after apt-get install"
  done
}

# ---------------------------------------------------------------------------------------- config

write_config() {
  local host cpus mem auth_lines
  host="$(hostname -s)"
  cpus="$(nproc)"
  mem="$(free -m | awk '/^Mem:/ {print $2}')"
  if [ "$AUTH" = munge ]; then
    auth_lines=$'AuthType=auth/munge\nCredType=cred/munge'
  else
    auth_lines=$'AuthType=auth/none\nCredType=cred/none'
  fi
  # cred_expire is also how long a requeued job waits before it may start again (default 120 s):
  # the tests requeue jobs at their time limit and should not wait two minutes each time.
  auth_lines+=$'\nAuthInfo=cred_expire=15'
  cat <<EOF
# Written by scripts/slurm-local.sh; rewritten on every 'up'.
ClusterName=seemlocal
SlurmctldHost=${host}(127.0.0.1)
SlurmctldPort=${PORT}
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
${auth_lines}
StateSaveLocation=${LOCAL_DIR}/state
SlurmdSpoolDir=${LOCAL_DIR}/spool
SlurmctldPidFile=${CTLD_PID}
SlurmdPidFile=${SLURMD_PID}
SlurmctldLogFile=${LOGS}/slurmctld.log
SlurmdLogFile=${LOGS}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=${LOGS}/jobcomp.txt
MpiDefault=none
MailProg=/bin/true
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

# ---------------------------------------------------------------------------------------- daemons

# Prints the PID in pid file $1 if that process is alive and its command line contains $2.
live_pid() {
  local file=$1 needle=$2 pid
  [ -s "$file" ] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$needle" || return 1
  printf '%s\n' "$pid"
}

munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start_munge() {
  if munge_works; then
    say "munged already answering; reusing it"
    return 0
  fi
  command -v munged >/dev/null 2>&1 || die "munged not installed (SLURM_LOCAL_AUTH=munge)"
  id munge >/dev/null 2>&1 || die "no 'munge' user (is the munge package installed?)"
  install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
  install -d -o munge -g munge -m 0755 /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    say "creating /etc/munge/munge.key"
    ( umask 077; dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none )
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
  fi
  # A stale socket/pid from a dead munged makes a new one refuse to start.
  if ! live_pid "$MUNGE_PIDFILE" munged >/dev/null; then
    rm -f "$MUNGE_PIDFILE" /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
  fi
  runuser -u munge -- /usr/sbin/munged >"$LOGS/munged.start.log" 2>&1 \
    || { cat "$LOGS/munged.start.log" >&2; die "munged failed to start (see /var/log/munge/munged.log)"; }
  wait_until 10 munge_works || die "munged started but 'munge -n | unmunge' fails after 10 s"
  wait_until 5 live_pid "$MUNGE_PIDFILE" munged || die "munged is up but wrote no pid file $MUNGE_PIDFILE"
  live_pid "$MUNGE_PIDFILE" munged >"$MUNGED_OURS"
  say "munged started (pid $(cat "$MUNGED_OURS"))"
}

port_busy() { ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }

ctld_answers() { sl scontrol ping 2>/dev/null | grep -q 'is UP'; }

# The node's state as sinfo prints it (idle, mixed, allocated, idle*, down*, ...).
node_state() { sl sinfo -h -N -o '%T' 2>/dev/null | head -n 1; }
node_ready() { case "$(node_state)" in idle|mixed|allocated|completing) return 0 ;; *) return 1 ;; esac; }

start_slurm() {
  local pid
  if pid="$(live_pid "$CTLD_PID" slurmctld)"; then
    say "slurmctld already running (pid $pid)"
  else
    port_busy "$PORT" && die "port $PORT is in use by another process (set SLURM_LOCAL_PORT)"
    slurmctld -f "$CONF" || die "slurmctld failed to start (log: $LOGS/slurmctld.log)"
    wait_until 20 ctld_answers \
      || { tail -n 20 "$LOGS/slurmctld.log" >&2; die "slurmctld does not answer 'scontrol ping' after 20 s"; }
    say "slurmctld started (pid $(live_pid "$CTLD_PID" slurmctld || echo '?'))"
  fi
  if pid="$(live_pid "$SLURMD_PID" slurmd)"; then
    say "slurmd already running (pid $pid)"
  else
    port_busy $((PORT + 1)) && die "port $((PORT + 1)) is in use by another process (set SLURM_LOCAL_PORT)"
    slurmd -f "$CONF" || die "slurmd failed to start (log: $LOGS/slurmd.log)"
    # slurmd writes its pid file only after it has daemonized and read its state.
    wait_until 15 live_pid "$SLURMD_PID" slurmd \
      || { tail -n 20 "$LOGS/slurmd.log" >&2; die "slurmd wrote no pid file within 15 s"; }
    say "slurmd started (pid $(live_pid "$SLURMD_PID" slurmd))"
  fi
  if ! wait_until 30 node_ready; then
    # A node left DOWN/DRAIN by an earlier run: resume it once, then wait again.
    sl scontrol update NodeName="$(hostname -s)" State=RESUME >/dev/null 2>&1 || true
    wait_until 15 node_ready || {
      tail -n 10 "$LOGS/slurmd.log" >&2 || true
      die "node not ready after 45 s (sinfo says '$(node_state)')"
    }
  fi
}

# Sends SIGTERM to the process in pid file $1 (checked against $2); SIGKILL after STOP_TIMEOUT.
stop_pid() {
  local file=$1 needle=$2 what=$3 pid
  if ! pid="$(live_pid "$file" "$needle")"; then
    rm -f "$file"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_until "$STOP_TIMEOUT" bash -c "! kill -0 $pid"; then
    say "$what (pid $pid) still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_until 5 bash -c "! kill -0 $pid" || die "$what (pid $pid) survives SIGKILL"
  fi
  rm -f "$file"
  say "stopped $what (pid $pid)"
}

cancel_all_jobs() {
  local ids
  live_pid "$CTLD_PID" slurmctld >/dev/null || return 0
  ids="$(sl squeue -h -o '%A' 2>/dev/null | sort -u | tr '\n' ' ')" || true
  [ -n "${ids// /}" ] || return 0
  say "cancelling jobs: $ids"
  # shellcheck disable=SC2086
  sl scancel $ids >/dev/null 2>&1 || true
  # shellcheck disable=SC2016  # expanded by the inner bash, on every poll
  wait_until 20 bash -c '[ -z "$(timeout 10 squeue -h -t running,completing,configuring -o %A 2>/dev/null)" ]' \
    || say "some jobs are still running after scancel; stopping daemons anyway"
}

# ---------------------------------------------------------------------------------------- commands

cmd_up() {
  validate_settings
  need_root up
  mkdir -p "$LOCAL_DIR/etc" "$LOCAL_DIR/state" "$LOCAL_DIR/spool" "$RUN" "$LOGS"
  install_packages
  local new="$CONF.new" restart=0
  write_config >"$new"
  if [ -f "$CONF" ] && ! cmp -s "$new" "$CONF"; then restart=1; fi
  mv -f "$new" "$CONF"
  if [ "$restart" = 1 ] && { live_pid "$CTLD_PID" slurmctld || live_pid "$SLURMD_PID" slurmd; } >/dev/null; then
    say "slurm.conf changed; restarting slurmctld and slurmd"
    stop_pid "$SLURMD_PID" slurmd slurmd
    stop_pid "$CTLD_PID" slurmctld slurmctld
  fi
  [ "$AUTH" = munge ] && start_munge
  start_slurm
  say "up: node $(hostname -s) is $(node_state); run: eval \"\$($0 env)\""
}

cmd_env() {
  validate_settings
  printf 'export SLURM_CONF=%q\n' "$CONF"
}

cmd_status() {
  validate_settings
  local pid rc=0
  for d in "slurmctld:$CTLD_PID" "slurmd:$SLURMD_PID"; do
    if pid="$(live_pid "${d#*:}" "${d%%:*}")"; then echo "${d%%:*}: running (pid $pid)"; else echo "${d%%:*}: not running"; rc=1; fi
  done
  if [ "$AUTH" = munge ]; then
    if munge_works; then
      if pid="$(live_pid "$MUNGED_OURS" munged)"; then echo "munged: running (pid $pid, started by us)"; else echo "munged: answering (not started by us)"; fi
    else
      echo "munged: not answering"; rc=1
    fi
  fi
  echo "SLURM_CONF=$CONF"
  if [ "$rc" = 0 ]; then
    sl sinfo || rc=1
    sl squeue -t all || rc=1
  fi
  return "$rc"
}

cmd_down() {
  validate_settings
  need_root down
  cancel_all_jobs
  stop_pid "$SLURMD_PID" slurmd slurmd
  stop_pid "$CTLD_PID" slurmctld slurmctld
  if [ -s "$MUNGED_OURS" ]; then
    stop_pid "$MUNGED_OURS" munged munged
  fi
  say "down"
}

cmd_purge() {
  validate_settings
  need_root purge
  cmd_down
  rm -rf -- "$LOCAL_DIR"
  say "removed $LOCAL_DIR (packages stay installed)"
}

# Prints "ID STATE REASON" for every job/array task of job $1. Falls back to the jobcomp file
# once slurmctld has forgotten a finished job (MinJobAge).
# Returns 1 when slurmctld cannot be asked (state unknown for now), 2 when the job does not exist.
job_states() {
  local id=$1 out err rc=0
  err="$(mktemp)"
  out="$(sl squeue -h -t all -r -j "$id" -o '%i %T %r' 2>"$err")" || rc=$?
  if [ "$rc" = 0 ] && [ -n "$out" ]; then
    rm -f "$err"
    printf '%s\n' "$out"
    return 0
  fi
  local invalid=1
  grep -qi 'invalid job id' "$err" && invalid=0
  [ "$rc" = 0 ] && invalid=0          # answered, but with no such job
  rm -f "$err"
  local comp="$LOGS/jobcomp.txt"
  if [ ! -r "$comp" ]; then
    [ "$invalid" = 0 ] && return 2
    return 1
  fi
  # jobcomp/filetxt lines are "Key=Value ..." records; array tasks carry ArrayJobId/ArrayTaskId.
  awk -v want="$id" '
    { delete f; for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = substr($i, length(kv[1]) + 2) } }
    f["JobId"] == want || f["ArrayJobId"] == want {
      name = (f["ArrayJobId"] != "" && f["ArrayTaskId"] != "" && f["ArrayTaskId"] != "4294967294") ? f["ArrayJobId"] "_" f["ArrayTaskId"] : f["JobId"]
      print name, f["JobState"], "jobcomp"
      found = 1
    }
    END { exit found ? 0 : 1 }' "$comp" && return 0
  [ "$invalid" = 0 ] && return 2
  return 1
}

cmd_wait() {
  validate_settings
  local timeout=600 ids=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --timeout) [ $# -ge 2 ] || die "--timeout needs a value"; timeout=$2; shift 2 ;;
      --timeout=*) timeout=${1#--timeout=}; shift ;;
      -h|--help) echo "usage: $0 wait JOBID... [--timeout SECONDS]"; return 0 ;;
      *) [[ "$1" =~ ^[0-9]+(_[0-9]+)?$ ]] || die "not a job id: '$1'"; ids+=("$1"); shift ;;
    esac
  done
  [[ "$timeout" =~ ^[0-9]+$ ]] || die "--timeout must be whole seconds (got '$timeout')"
  [ ${#ids[@]} -gt 0 ] || die "usage: $0 wait JOBID... [--timeout SECONDS]"
  local deadline=$(( $(date +%s%N) + timeout * 1000000000 )) table id lines bad pending rc
  while :; do
    table="" bad=0 pending=0
    for id in "${ids[@]}"; do
      rc=0; lines="$(job_states "$id")" || rc=$?
      case "$rc" in
        0) ;;
        2) lines="$id NOT_FOUND no-such-job" ;;
        *) lines="$id UNKNOWN slurmctld-not-answering" ;;
      esac
      table+="$lines"$'\n'
      while read -r _ state reason; do
        case "$state" in
          COMPLETED) ;;
          PENDING)
            if [ "$reason" = DependencyNeverSatisfied ]; then bad=1; else pending=1; fi ;;
          RUNNING|CONFIGURING|COMPLETING|SUSPENDED|REQUEUED|REQUEUE_HOLD|REQUEUE_FED|RESIZING|SIGNALING|STAGE_OUT|STOPPED|RESV_DEL_HOLD)
            pending=1 ;;
          UNKNOWN) pending=1 ;;   # slurmctld not answering: keep polling until the deadline
          *) bad=1 ;;             # FAILED CANCELLED TIMEOUT NODE_FAIL OUT_OF_MEMORY BOOT_FAIL DEADLINE PREEMPTED NOT_FOUND ...
        esac
      done <<<"$lines"
    done
    if [ "$bad" = 1 ] && [ "$pending" = 0 ]; then
      printf '%s' "$table" >&2
      say "wait: some jobs did not complete successfully"
      return 1
    fi
    if [ "$bad" = 0 ] && [ "$pending" = 0 ]; then
      printf '%s' "$table"
      return 0
    fi
    if (( $(date +%s%N) >= deadline )); then
      printf '%s' "$table" >&2
      say "wait: timed out after ${timeout}s"
      return 124
    fi
    sleep 0.5
  done
}

cmd_smoke() {
  validate_settings
  node_ready || die "Slurm is not up (run: $0 up)"
  local dir arr dep
  dir="$LOCAL_DIR/smoke/$(date +%Y%m%d-%H%M%S)-$$"
  mkdir -p "$dir"
  chmod 0777 "$dir" "$LOCAL_DIR/smoke"
  cat >"$dir/task.sh" <<'EOF'
#!/bin/bash
set -euo pipefail
echo "task ${SLURM_ARRAY_TASK_ID} of ${SLURM_ARRAY_JOB_ID}" >"$1/task-${SLURM_ARRAY_TASK_ID}.txt"
EOF
  cat >"$dir/after.sh" <<'EOF'
#!/bin/bash
set -euo pipefail
cat "$1"/task-0.txt "$1"/task-1.txt "$1"/task-2.txt "$1"/task-3.txt >"$1/all.txt"
EOF
  arr="$(sl sbatch --parsable --job-name=smoke-array --array=0-3 --output="$dir/%x-%A_%a.out" \
          --kill-on-invalid-dep=yes "$dir/task.sh" "$dir")" || die "sbatch (array) failed"
  arr="${arr%%;*}"
  dep="$(sl sbatch --parsable --job-name=smoke-after --dependency="afterok:$arr" --kill-on-invalid-dep=yes \
          --output="$dir/%x-%j.out" "$dir/after.sh" "$dir")" || die "sbatch (afterok) failed"
  dep="${dep%%;*}"
  say "smoke: submitted array $arr (0-3) and afterok job $dep; waiting"
  cmd_wait "$arr" "$dep" --timeout 120 >/dev/null || die "smoke: jobs did not complete (see $dir)"
  local expect i
  expect="$(for i in 0 1 2 3; do echo "task $i of $arr"; done)"
  [ -f "$dir/all.txt" ] || die "smoke: $dir/all.txt missing"
  [ "$(cat "$dir/all.txt")" = "$expect" ] || die "smoke: $dir/all.txt has unexpected content"
  say "smoke: OK (array $arr + dependent $dep; outputs in $dir)"
}

# Each step runs in its own bash so that `set -e` and `die` stay effective inside it, and `down`
# runs even when `up` or `smoke` failed.
cmd_all() {
  local rc=0
  bash "$SELF" up || rc=$?
  if [ "$rc" = 0 ]; then bash "$SELF" smoke || rc=$?; fi
  bash "$SELF" down || rc=$?
  if [ "$rc" = 0 ]; then say "all: OK"; else say "all: FAILED (rc=$rc)"; fi
  return "$rc"
}

usage() {
  sed -n '2,/^[^#]/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

case "${1:-}" in
  up) cmd_up ;;
  env) cmd_env ;;
  smoke) cmd_smoke ;;
  status) cmd_status ;;
  down) cmd_down ;;
  purge) cmd_purge ;;
  all) need_root all; cmd_all ;;
  wait) shift; cmd_wait "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
