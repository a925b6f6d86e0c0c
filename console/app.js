// The local console's single page: hash routes (#jobs, #executions, …), each a render function that reads
// one page of JSON from /_console/api/ and redraws; a poll every POLL_MS keeps the open page live.
const API = '/_console/api/';
const POLL_MS = 1000;
const page = document.getElementById('page');
const state = {
  jobsOffset: 0,
  execution: undefined,
  machine: undefined,
  bus: undefined,
  before: undefined,
  bucket: undefined,
  prefix: '',
  objectKey: undefined,
};

const esc = (value) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

async function get(route, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== ''));
  const response = await fetch(`${API}${route}?${query}`);
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.code}: ${body.message}`);
  return body;
}

async function post(route, params = {}) {
  const response = await fetch(`${API}${route}?${new URLSearchParams(params)}`, {
    method: 'POST',
    headers: { 'x-s3bo-console': '1' },
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.code}: ${body.message}`);
  return body;
}

async function renderJobs() {
  const jobs = await get('jobs', { limit: 50, offset: state.jobsOffset });
  const counts = Object.entries(jobs.counts)
    .map(([s, n]) => `${esc(s)} ${n}`)
    .join(' · ');
  const rows = jobs.items.map(
    (job) => `
    <tr data-job="${esc(job.jobId)}" data-status="${esc(job.status)}">
      <td><code>${esc(job.jobId)}</code><br>${esc(job.description)}</td>
      <td class="status">${esc(job.status)}</td><td>${esc(job.operation)}</td><td class="priority">${job.priority}</td>
      <td><span class="bar" role="progressbar" aria-valuenow="${Math.round(job.percent)}" aria-valuemin="0" aria-valuemax="100">
        <div style="width:${job.percent}%"></div></span> <span class="percent">${Math.round(job.percent)} %</span><br>
        succeeded <span class="succeeded">${job.succeeded}</span>, failed <span class="failed">${job.failed}</span> of ${job.total}</td>
      <td>${(job.failureRate * 100).toFixed(1)} %</td>
      <td>${job.report ? `<a href="#objects" data-bucket="${esc(job.report.bucket)}" data-prefix="${esc(job.report.prefix)}">report</a>` : ''}</td>
      <td>${job.actions.confirm ? '<button data-action="confirm">Confirm</button>' : ''}
        ${job.actions.cancel ? '<button data-action="cancel">Cancel</button>' : ''}
        ${job.actions.priority ? '<button data-action="priority">Priority…</button>' : ''}</td>
    </tr>`,
  );
  page.innerHTML = `<h2>Jobs (${jobs.total})</h2><p>${counts}</p>
    <table><tr><th>Job</th><th>Status</th><th>Operation</th><th>Priority</th><th>Progress</th><th>Failure rate</th><th>Report</th><th>Actions</th></tr>${rows.join('')}</table>
    ${pager(jobs.offset, jobs.limit, jobs.total)}`;
}

function pager(offset, limit, total) {
  return `<div class="pager">${offset + 1}–${Math.min(offset + limit, total)} of ${total}
    <button data-page="${offset - limit}" ${offset === 0 ? 'disabled' : ''}>Previous</button>
    <button data-page="${offset + limit}" ${offset + limit >= total ? 'disabled' : ''}>Next</button></div>`;
}

function drawGraph(graph, visits, transitions, current, running) {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const taken = new Set(transitions);
  const edges = graph.edges.map((e) => {
    const a = byName.get(e.from);
    const b = byName.get(e.to);
    const x1 = a.x + 84;
    const y1 = a.y + 30;
    const x2 = b.x + 84;
    const y2 = b.y;
    const d = e.back
      ? `M${x1},${a.y + 15} C${Math.max(a.x, b.x) + 240},${a.y} ${Math.max(a.x, b.x) + 240},${b.y} ${b.x + 168},${b.y + 15}`
      : `M${x1},${y1} L${x2},${y2}`;
    return `<path class="edge${taken.has(`${e.from}→${e.to}`) ? ' taken' : ''}" d="${d}"/>`;
  });
  const nodes = graph.nodes.map((n) => {
    const cls = [
      'node',
      visits[n.name] ? 'visited' : '',
      running && n.name === current ? 'current' : '',
    ].join(' ');
    return `<g class="${cls}" data-state="${esc(n.name)}"><rect x="${n.x}" y="${n.y}" width="168" height="30" rx="4"/>
      <text x="${n.x + 6}" y="${n.y + 19}">${esc(n.name)}${visits[n.name] > 1 ? ` ×${visits[n.name]}` : ''}</text></g>`;
  });
  return `<svg width="${graph.width + 240}" height="${graph.height}" viewBox="0 0 ${graph.width + 240} ${graph.height}">${edges.join('')}${nodes.join('')}</svg>`;
}

async function renderExecutions() {
  const machines = await get('state-machines');
  state.machine ??= machines[0]?.stateMachineArn;
  const list = state.machine
    ? await get('executions', { stateMachineArn: state.machine, limit: 50 })
    : { items: [] };
  const options = machines.map(
    (m) =>
      `<option value="${esc(m.stateMachineArn)}" ${m.stateMachineArn === state.machine ? 'selected' : ''}>${esc(m.name)}</option>`,
  );
  const rows = list.items.map(
    (e) => `<tr><td><a href="#executions" data-execution="${esc(e.executionArn)}">${esc(e.name)}</a></td>
    <td>${esc(e.status)}</td><td>${esc(e.startDate)}</td><td>${(e.durationMs / 1000).toFixed(1)} s</td></tr>`,
  );
  let detail = '';
  if (state.execution) {
    const ex = await get('execution', { arn: state.execution });
    const history = await get('execution/history', { arn: state.execution, limit: 25 });
    detail = `<h3>${esc(ex.name)} — ${esc(ex.status)} (${(ex.durationMs / 1000).toFixed(1)} s)</h3>
      <div class="graph">${drawGraph(ex.graph, ex.visits, ex.transitions, ex.current, ex.status === 'RUNNING')}</div>
      <div class="columns"><div><h4>Input</h4><pre>${esc(ex.input)}</pre><h4>Output</h4><pre>${esc(ex.output ?? ex.error ?? '')}</pre></div>
      <div><h4>History (newest first)</h4><table>${history.items.map((h) => `<tr><td>${h.id}</td><td>${esc(h.type)}</td><td>${esc(h.timestamp)}</td></tr>`).join('')}</table></div></div>`;
  }
  page.innerHTML = `<h2>Executions</h2><select id="machine">${options.join('')}</select>
    <table><tr><th>Name</th><th>Status</th><th>Started</th><th>Duration</th></tr>${rows.join('')}</table>${detail}`;
}

/** One campaign run (an execution that started children) and its targets' progress. */
function campaignRun(run) {
  const targets = run.children
    .map((c) => {
      const job = c.job;
      const bar = job
        ? `<span class="bar" role="progressbar" aria-valuenow="${Math.round(job.percent)}" aria-valuemin="0" aria-valuemax="100"><div style="width:${job.percent}%"></div></span>
          <span class="percent">${Math.round(job.percent)} %</span> succeeded ${job.succeeded}, failed ${job.failed} of ${job.total} · job <code>${esc(job.jobId)}</code> ${esc(job.status)}`
        : '—';
      return `<tr class="target" data-target="${esc(c.name)}"><td>${esc(c.name)}</td><td>${esc(c.stateMachine)}</td><td class="status-${esc(c.status)}">${esc(c.status)}</td><td>${bar}</td></tr>`;
    })
    .join('');
  return `<div class="campaign-run" data-run="${esc(run.name)}"><h3>${esc(run.stateMachine)} / ${esc(run.name)}: <span class="status-${esc(run.status)}">${esc(run.status)}</span>, started ${esc(run.startDate)}, ${run.childrenEnded}/${run.children.length} targets ended</h3>
    <table><tr><th>Target (child execution)</th><th>State machine</th><th>Status</th><th>Job progress</th></tr>${targets}</table></div>`;
}

async function renderCampaigns() {
  const [schedules, queues, runs] = await Promise.all([get('schedules'), get('queues'), get('runs')]);
  page.innerHTML = `<h2>Campaign runs</h2>${runs.length === 0 ? '<p>No run has started child executions yet.</p>' : runs.map(campaignRun).join('')}
    <h2>Campaigns (schedules)</h2><table><tr><th>Schedule</th><th>State</th><th>Expression</th><th>Next run</th><th>Last firings</th></tr>
    ${schedules
      .map(
        (
          s,
        ) => `<tr><td>${esc(s.groupName)}/${esc(s.name)}</td><td>${esc(s.state)}</td><td>${esc(s.expression)} ${esc(s.timezone)}</td><td>${esc(s.nextRun ?? '—')}</td>
      <td>${s.firings.map((f) => `${esc(f.scheduledTime)} ${f.ok ? 'started' : 'failed'}`).join('<br>')}</td></tr>`,
      )
      .join('')}</table>
    <h2>Triggers (queues)</h2><table><tr><th>Queue</th><th>Pending</th><th>In flight</th><th>Delayed</th></tr>
    ${queues.map((q) => `<tr><td>${esc(q.name)}</td><td>${q.visible}</td><td>${q.inFlight}</td><td>${q.delayed}</td></tr>`).join('')}</table>`;
}

async function renderEvents() {
  const buses = await get('buses');
  state.bus ??= buses.find((b) => b !== 'default') ?? buses[0];
  const detailType = document.getElementById('detail-type')?.value ?? '';
  const job = document.getElementById('job-filter')?.value ?? '';
  const log = await get('events', { bus: state.bus, limit: 50, before: state.before, detailType, job });
  const types = Object.entries(log.detailTypes).map(
    ([t, n]) => `<option value="${esc(t)}" ${t === detailType ? 'selected' : ''}>${esc(t)} (${n})</option>`,
  );
  page.innerHTML = `<h2>Events on <select id="bus">${buses.map((b) => `<option ${b === state.bus ? 'selected' : ''}>${esc(b)}</option>`).join('')}</select> (${log.total})</h2>
    <select id="detail-type"><option value="">every detail type</option>${types.join('')}</select>
    <input id="job-filter" placeholder="job id" value="${esc(job)}">
    <table><tr><th>#</th><th>Time</th><th>Detail type</th><th>Source</th><th>Detail</th></tr>
    ${log.items.map((e) => `<tr class="event"><td>${e.seq}</td><td>${esc(e.time)}</td><td>${esc(e.detailType)}</td><td>${esc(e.source)}</td><td><code>${esc(JSON.stringify(e.event.detail)).slice(0, 200)}</code></td></tr>`).join('')}</table>
    <div class="pager"><button data-before="" ${state.before === undefined ? 'disabled' : ''}>Newest</button>
    <button data-before="${log.before ?? ''}" ${log.before === undefined ? 'disabled' : ''}>Older</button></div>`;
}

async function renderObjects() {
  const buckets = await get('buckets');
  state.bucket ??= buckets[0]?.name;
  const listing = state.bucket
    ? await get('objects', { bucket: state.bucket, prefix: state.prefix, limit: 100 })
    : { items: [], total: 0 };
  const object = state.objectKey
    ? await get('object', { bucket: state.bucket, key: state.objectKey })
    : undefined;
  page.innerHTML = `<h2>Objects</h2><div class="columns"><div><h3>Buckets</h3><ul>${buckets.map((b) => `<li><a href="#objects" data-bucket="${esc(b.name)}" data-prefix="">${esc(b.name)}</a></li>`).join('')}</ul></div>
    <div><h3>${esc(state.bucket)}/${esc(state.prefix)} (${listing.total})</h3><table>
    ${listing.items
      .map((i) =>
        i.kind === 'folder'
          ? `<tr><td><a href="#objects" data-bucket="${esc(state.bucket)}" data-prefix="${esc(i.prefix)}">${esc(i.prefix)}</a></td><td></td><td></td></tr>`
          : `<tr><td><a href="#objects" data-key="${esc(i.key)}">${esc(i.key)}</a></td><td>${i.size ?? ''}</td><td>${esc(i.storageClass ?? (i.deleted ? 'deleted' : ''))}</td></tr>`,
      )
      .join('')}</table></div>
    <div>${
      object
        ? `<h3>${esc(object.key)}</h3><p>Storage class: ${esc(object.storageClass)}<br>Restore: ${esc(object.restoreStatus ?? '—')}<br>Size: ${object.size}</p>
      <h4>Tags</h4><table>${object.tags.map((t) => `<tr><td>${esc(t.Key)}</td><td>${esc(t.Value)}</td></tr>`).join('')}</table>`
        : ''
    }</div></div>`;
}

const pages = {
  jobs: renderJobs,
  executions: renderExecutions,
  campaigns: renderCampaigns,
  events: renderEvents,
  objects: renderObjects,
};
let rendering = false;

async function render() {
  if (rendering) return;
  rendering = true;
  const name = location.hash.slice(1) in pages ? location.hash.slice(1) : 'jobs';
  for (const link of document.querySelectorAll('header nav a'))
    link.classList.toggle('active', link.hash === `#${name}`);
  try {
    await pages[name]();
    document.getElementById('error').textContent = '';
    document.body.dataset.rendered = name;
  } catch (error) {
    document.getElementById('error').textContent = error.message;
  } finally {
    rendering = false;
  }
}

page.addEventListener('click', async (event) => {
  const target = event.target.closest(
    '[data-action],[data-page],[data-execution],[data-bucket],[data-key],[data-before]',
  );
  if (!target) return;
  const d = target.dataset;
  try {
    if (d.action) {
      const jobId = target.closest('tr').dataset.job;
      const params = {};
      if (d.action === 'priority') {
        const value = prompt('New priority (0-2147483647)');
        if (value === null) return;
        params.priority = value;
      }
      await post(`jobs/${encodeURIComponent(jobId)}/${d.action}`, params);
    } else if (d.page !== undefined) state.jobsOffset = Math.max(0, Number(d.page));
    else if (d.execution) state.execution = d.execution;
    else if (d.bucket !== undefined)
      Object.assign(state, { bucket: d.bucket, prefix: d.prefix ?? '', objectKey: undefined });
    else if (d.key) state.objectKey = d.key;
    else if (d.before !== undefined) state.before = d.before === '' ? undefined : Number(d.before);
  } catch (error) {
    document.getElementById('error').textContent = error.message;
  }
  await render();
});
page.addEventListener('change', (event) => {
  if (event.target.id === 'machine')
    Object.assign(state, { machine: event.target.value, execution: undefined });
  if (event.target.id === 'bus') Object.assign(state, { bus: event.target.value, before: undefined });
  if (event.target.id === 'detail-type' || event.target.id === 'job-filter') state.before = undefined;
  render();
});
window.addEventListener('hashchange', render);
render();
// Live: re-read the open page, unless the user is typing in a filter.
setInterval(() => {
  if (document.activeElement?.tagName !== 'INPUT') render();
}, POLL_MS);
