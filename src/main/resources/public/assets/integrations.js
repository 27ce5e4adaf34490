// Integrations: how an AI agent connects to this server over MCP (issue 19). The page shows the
// MCP address, whether it answers, and a client configuration to copy. It never shows the key of
// this session: the snippet holds a placeholder to replace with a key made for the agent.

import { el, toast } from './views.js';

export function mcpConfig(url) {
  return JSON.stringify({
    mcpServers: {
      linkpulse: { type: 'http', url, headers: { Authorization: 'Bearer YOUR_API_KEY' } },
    },
  }, null, 2);
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied');
  } catch {
    toast('Copy failed: select the text and copy it');
  }
}

export function integrationsView(main) {
  const h = el('h1', { tabindex: '-1' }, 'Integrations');
  main.append(h);
  h.focus();
  document.title = 'Integrations · Linkpulse';
  const url = `${location.origin}/mcp`;
  const status = el('p', { id: 'mcp-status', role: 'status' }, 'Checking the MCP server…');
  const toolList = el('ul', { id: 'mcp-tools', 'aria-label': 'MCP tools by group' });
  const config = mcpConfig(url);
  const bridge = `npx mcp-remote ${url} --header "Authorization: Bearer YOUR_API_KEY"`;
  main.append(el('section', { class: 'card', 'aria-labelledby': 'mcp-title' },
    el('h2', { id: 'mcp-title' }, 'MCP server for AI agents'),
    el('p', {}, 'Agents that speak the Model Context Protocol (Streamable HTTP) can create links and read their '
      + 'analytics, and manage QR codes, campaigns, domains, A/B tests, rules and webhooks, with the same tools as '
      + 'jmpy.me: shortenUrl, listUrls, getUrlAnalytics, generateQr, createCampaign and more (listed below). '
      + 'Give the agent its own API key with only the permissions it needs (for example read and analytics); '
      + 'send it as Authorization: Bearer or as x-mcp-key.'),
    el('p', {}, 'Address: ', el('code', { id: 'mcp-url' }, url), ' ',
      el('button', { type: 'button', onclick: () => copy(url) }, 'Copy address')),
    status,
    el('h3', {}, 'Client configuration'),
    el('pre', { id: 'mcp-config', tabindex: '0', 'aria-label': 'MCP client configuration' }, config),
    el('button', { type: 'button', id: 'copy-mcp-config', onclick: () => copy(config) }, 'Copy configuration'),
    el('h3', {}, 'Clients that only start local servers'),
    el('pre', { id: 'mcp-bridge', tabindex: '0', 'aria-label': 'Command for a local MCP bridge' }, bridge),
    el('h3', {}, 'Tools'),
    toolList));
  let live = true;
  fetch('/mcp/health').then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`)))).then((health) => {
    if (!live) return;
    status.textContent = `Up: ${health.tools} tools over ${health.transport}.`;
    for (const group of health.tool_groups || []) {
      toolList.append(el('li', {}, el('strong', {}, `${group.name}: `), group.tools.join(', ')));
    }
  }).catch((e) => {
    if (live) status.textContent = `The MCP server does not answer (${e.message}).`;
  });
  return () => { live = false; };
}
