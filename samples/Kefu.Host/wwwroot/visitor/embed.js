// Kefu's "在线客服" button for a customer's site. Include it with the tenant and (optionally) the channel:
//   <script src="https://{kefu host}/visitor/embed.js" data-tenant="1573027182043734016" data-channel="website" async></script>
// Optional: data-entry (routing entry), data-label (button text), data-name (visitor name), data-position ("left").
// The host forbids framing (X-Frame-Options: DENY): on a desktop the widget opens in a popup window, on a phone
// the page navigates to it. A classic script (no module) so any page can include it.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__kefuEmbed) return;
  window.__kefuEmbed = true;

  var origin = new URL(script.src, location.href).origin;
  var data = script.dataset;
  var zh = (navigator.language || 'zh').toLowerCase().indexOf('zh') === 0;

  function widgetUrl(mobile) {
    var q = new URLSearchParams();
    q.set('tenant', data.tenant || '');
    if (data.channel) q.set('channel', data.channel);
    if (data.entry) q.set('entry', data.entry);
    if (data.name) q.set('name', data.name);
    q.set('kind', mobile ? 'h5' : 'web');
    q.set('page', location.href);
    if (document.title) q.set('pageTitle', document.title);
    return origin + '/visitor/?' + q.toString();
  }

  function isMobile() {
    return window.matchMedia('(max-width: 600px)').matches || /Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent);
  }

  var popup = null;
  function openWidget() {
    var mobile = isMobile();
    var url = widgetUrl(mobile);
    if (mobile) {
      location.href = url;
      return;
    }
    if (popup && !popup.closed) {
      popup.focus();
      return;
    }
    var width = 440, height = 700;
    var left = Math.max(0, window.screenX + window.outerWidth - width - 40);
    var top = Math.max(0, window.screenY + window.outerHeight - height - 60);
    popup = window.open(url, 'kefu-chat', 'popup=yes,width=' + width + ',height=' + height + ',left=' + left + ',top=' + top);
    if (!popup) location.href = url; // a blocked popup: go there instead
  }

  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'kefu-embed-button';
  button.setAttribute('aria-label', data.label || (zh ? '在线客服' : 'Chat with us'));
  var icon = document.createElement('span');
  icon.textContent = '💬';
  var label = document.createElement('span');
  label.textContent = data.label || (zh ? '在线客服' : 'Chat with us');
  button.appendChild(icon);
  button.appendChild(label);

  // Styles set through the CSSOM (allowed by a page's style-src) so nothing depends on the host page's CSS.
  var s = button.style;
  s.position = 'fixed';
  s.bottom = '24px';
  s[data.position === 'left' ? 'left' : 'right'] = '24px';
  s.zIndex = '2147483000';
  s.display = 'flex';
  s.alignItems = 'center';
  s.gap = '6px';
  s.padding = '12px 18px';
  s.border = 'none';
  s.borderRadius = '24px';
  s.background = '#3370ff';
  s.color = '#fff';
  s.font = '600 14px -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif';
  s.boxShadow = '0 6px 20px rgba(51, 112, 255, .4)';
  s.cursor = 'pointer';
  button.addEventListener('click', openWidget);

  function mount() { document.body.appendChild(button); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
