// The dashboard's router: paths under /dashboard, history navigation, sign-in guard.

import { session } from './api.js';
import { linksView, linkView, overviewView, signInView } from './views.js';
import { integrationsView } from './integrations.js';
import { qrCodesView } from './qr.js';
import { abTestsView, abTestView, smartLinkView } from './smartlinks.js';
import { webhooksView } from './webhooks.js';
import { campaignsView, campaignView, domainsView } from './campaigns.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
let cleanup = () => {};
let signOutReason = '';

function route(path) {
  if (!session.key) return signInView;
  if (path === '/dashboard/links') return linksView;
  if (path === '/dashboard/integrations') return integrationsView;
  if (path.startsWith('/dashboard/links/')) return linkView;
  if (path === '/dashboard/qr-codes') return qrCodesView;
  if (path.startsWith('/dashboard/smart/')) return smartLinkView; // smart links (issue 17)
  if (path === '/dashboard/ab-tests') return abTestsView;
  if (path.startsWith('/dashboard/ab-tests/')) return abTestView;
  if (path === '/dashboard/campaigns') return campaignsView;
  if (path.startsWith('/dashboard/campaigns/')) return campaignView;
  if (path === '/dashboard/domains') return domainsView;
  if (path === '/dashboard/sign-in') return overviewView;
  if (path === '/dashboard/webhooks') return webhooksView;
  return overviewView;
}

function render() {
  cleanup();
  main.replaceChildren();
  const path = location.pathname.replace(/\/+$/, '') || '/dashboard';
  nav.hidden = !session.key;
  for (const a of nav.querySelectorAll('a')) {
    const current = a.getAttribute('href') === path || (a.getAttribute('href') === '/dashboard/links' && path.startsWith('/dashboard/links/'))
      || (a.getAttribute('href') === '/dashboard/campaigns' && path.startsWith('/dashboard/campaigns/'));
    if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const view = route(path);
  const reason = signOutReason;
  signOutReason = '';
  cleanup = view(main, { path, params: new URLSearchParams(location.search), navigate, reason }) || (() => {});
}

export function navigate(to) {
  history.pushState(null, '', to);
  render();
}

document.addEventListener('click', (event) => {
  const a = event.target.closest('a[data-nav]');
  if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', render);
window.addEventListener('linkpulse:signed-out', (e) => {
  signOutReason = 'Your key is no longer accepted (revoked or expired). Sign in again.';
  if (e.detail) signOutReason += ` (${e.detail})`;
  render();
});
document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  navigate('/dashboard');
});
render();
