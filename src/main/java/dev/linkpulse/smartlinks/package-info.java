/**
 * Smart links (issue 17): targeting rules and click limits. A link with any of them carries
 * {@code short_urls.smart}; only such links leave the plain redirect path, for {@link SmartRedirect}.
 */
package dev.linkpulse.smartlinks;
