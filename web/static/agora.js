// Progressive enhancement only: the pages work without this file.
(function () {
  "use strict";

  // Shows every <time datetime> of a moment in the reader's own time zone and language; a
  // calendar day ("2026-12-01") has no zone, and class "site-zone" keeps the site's zone (a
  // lesson is at 09:00 where it takes place, as its zone label says).
  var fmt = null;
  try {
    fmt = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
      { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
  } catch (e) {
    fmt = null;
  }
  function localTime(el) {
    var v = el.getAttribute("datetime") || "";
    if (v.indexOf("T") < 0 || el.classList.contains("site-zone")) return;
    var d = new Date(v);
    if (fmt && !isNaN(d.getTime())) {
      el.title = el.getAttribute("datetime");
      el.textContent = fmt.format(d);
    }
  }
  document.querySelectorAll("time[datetime]").forEach(localTime);

  // Drafts: a reply box or new-thread form with data-draft is saved to the member's drafts
  // as they type (1.5 s after the last key), with the CSRF token its form carries; the
  // status line says "Draft saved". The server forgets the draft once the text is posted,
  // so the page needs no cleanup on submit beyond not saving again.
  var DRAFT_DELAY_MS = 1500;
  function draftBox(area) {
    var form = area.form, key = area.dataset.draft, timer = null, last = area.value;
    var status = form.querySelector(".draft-status");
    var title = form.querySelector('input[name="title"]');
    var csrf = form.querySelector('input[name="csrf"]');
    function say(text) { if (status) status.textContent = text || ""; }
    function save() {
      timer = null;
      var body = area.value;
      var data = { body: body };
      if (title) data.title = title.value;
      last = body;
      var blank = !/\S/.test(body);
      fetch("/api/v1/drafts/" + encodeURIComponent(key), {
        method: blank ? "DELETE" : "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf ? csrf.value : "" },
        body: blank ? undefined : JSON.stringify(data),
      }).then(function (res) {
        say(res.ok ? (blank ? "" : status && status.dataset.saved) : status && status.dataset.failed);
      }, function () { say(status && status.dataset.failed); });
    }
    function later() {
      if (timer) clearTimeout(timer);
      say("");
      timer = setTimeout(save, DRAFT_DELAY_MS);
    }
    area.addEventListener("input", later);
    if (title) title.addEventListener("input", later);
    form.addEventListener("submit", function () { if (timer) clearTimeout(timer); timer = null; });
    return { saveSoon: later, area: area, unchanged: function () { return area.value === last; } };
  }
  var replyDraft = null;
  document.querySelectorAll("textarea[data-draft]").forEach(function (area) {
    var box = draftBox(area);
    if (area.closest("section#reply")) replyDraft = box;
  });

  // Quote: with text selected inside a post, the Quote link quotes just that selection (as
  // plain text), in the reply box of this page; with none, the whole post's Markdown as the
  // server quotes it (GET /api/v1/posts/ID/quote); either way the box then opens under the
  // post (replyUnder, in the composer's section). Without this file, the link's page quotes.
  function putQuote(link, area, quote) {
    area.value = area.value ? area.value.replace(/\s*$/, "") + "\n\n" + quote : quote;
    replyUnder(link.closest("article.post"), link.dataset.post);
    area.setSelectionRange(area.value.length, area.value.length);
    if (replyDraft) replyDraft.saveSoon();
  }
  function quoteWhole(link, area) {
    fetch("/api/v1/posts/" + encodeURIComponent(link.dataset.post) + "/quote", { credentials: "same-origin" })
      .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
      .then(function (j) { putQuote(link, area, j.markdown); }, function () { window.location.href = link.href; });
  }
  document.querySelectorAll("a.quote[data-post]").forEach(function (link) {
    link.addEventListener("click", function (ev) {
      var area = document.querySelector("section#reply textarea[name=body]");
      var sel = window.getSelection ? window.getSelection() : null;
      var body = link.closest("article.post") && link.closest("article.post").querySelector(".body");
      if (!area || !body || ev.ctrlKey || ev.metaKey || ev.shiftKey || typeof window.fetch !== "function") return;
      ev.preventDefault();
      var text = sel && !sel.isCollapsed && body.contains(sel.anchorNode) && body.contains(sel.focusNode) ?
        sel.toString().replace(/\s+$/, "") : "";
      if (!text) {
        quoteWhole(link, area);
        return;
      }
      putQuote(link, area, "[@" + link.dataset.author + "](/p/" + link.dataset.post + "):\n" +
        text.split("\n").map(function (line) { return line ? "> " + line : ">"; }).join("\n") + "\n\n");
    });
  });

  // Bookmark buttons answer in place (the form still works without this file).
  document.querySelectorAll("form.bookmark").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var action = form.querySelector('input[name="action"]');
      var csrf = form.querySelector('input[name="csrf"]');
      var id = /\/posts\/(\d+)\/bookmark/.exec(form.getAttribute("action"));
      if (!action || !id || !window.fetch || form.closest("ul.bookmarks")) return;
      ev.preventDefault();
      var on = action.value === "bookmark";
      fetch("/api/v1/posts/" + id[1] + "/bookmark", {
        method: on ? "PUT" : "DELETE",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf ? csrf.value : "" },
      }).then(function (res) {
        if (!res.ok) { form.submit(); return; }
        var button = form.querySelector("button");
        var other = button.dataset.other || (on ? form.dataset.unbookmark : form.dataset.bookmark);
        button.dataset.other = button.textContent;
        if (other) button.textContent = other;
        action.value = on ? "unbookmark" : "bookmark";
      }, function () { form.submit(); });
    });
  });
  // Attaching files from a composer: an "Attach" button in its form, and files dropped onto
  // its text, sent to /api/v1/uploads with the page's CSRF token; the upload's Markdown goes
  // in at the caret (an image shown, a document linked). The plain upload form after the
  // composer's section, which opens the Markdown to paste in a new tab, is what works without
  // this.
  function attachTo(plain) {
    var composer = plain.previousElementSibling; // the section of the composer it serves
    var text = composer && composer.querySelector("textarea[name=body]");
    var form = text && text.form;
    var csrf = form && form.querySelector("input[name=csrf]");
    if (!text || !csrf || typeof window.fetch !== "function" || typeof window.FormData !== "function") return;
    var picker = document.createElement("input");
    picker.type = "file";
    picker.hidden = true;
    picker.multiple = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "attach-button";
    button.textContent = plain.dataset.attach || "Attach";
    var status = document.createElement("span");
    status.className = "attach-status";
    status.setAttribute("role", "status");
    var submit = form.querySelector("button:not([type=button])");
    form.insertBefore(button, submit);
    form.insertBefore(picker, submit);
    form.insertBefore(status, submit);
    plain.hidden = true;

    function insert(md) {
      var at = text.selectionStart || 0, end = text.selectionEnd || at, v = text.value;
      var piece = (at > 0 && v.charAt(at - 1) !== "\n" ? "\n" : "") + md + "\n";
      text.value = v.slice(0, at) + piece + v.slice(end);
      text.selectionStart = text.selectionEnd = at + piece.length;
      text.focus();
    }
    function send(file) {
      var body = new FormData();
      body.append("file", file, file.name);
      status.textContent = plain.dataset.uploading || "";
      fetch("/api/v1/uploads", { method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf.value } })
        .then(function (r) {
          return r.json().then(function (j) { return { ok: r.ok, j: j }; });
        })
        .then(function (a) {
          if (!a.ok || !a.j.upload) throw new Error((a.j && a.j.error && a.j.error.message) || "");
          var u = a.j.upload;
          insert((u.width ? "!" : "") + "[" + u.filename.replace(/[\[\]\\]/g, "") + "](" + u.url + ")");
          status.textContent = "";
        })
        .catch(function (err) {
          status.textContent = (plain.dataset.failed || "{}").replace("{}", err.message || "");
        });
    }
    function sendAll(files) {
      for (var i = 0; i < files.length; i++) send(files[i]);
    }
    button.addEventListener("click", function () { picker.click(); });
    picker.addEventListener("change", function () {
      sendAll(picker.files);
      picker.value = "";
    });
    text.addEventListener("dragover", function (ev) {
      if (ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types, "Files") >= 0) ev.preventDefault();
    });
    text.addEventListener("drop", function (ev) {
      if (!ev.dataTransfer || !ev.dataTransfer.files.length) return;
      ev.preventDefault();
      sendAll(ev.dataTransfer.files);
    });
  }
  document.querySelectorAll("form.attach").forEach(attachTo);

  // == look: relative times ==
  // A <time class="ago"> of a recent moment reads "3 minutes ago" / "3分钟前", "yesterday" /
  // "昨天", an older one its date; the exact local time stays in its title (localTime above
  // put it there). Recomputed each minute so an open page does not go stale.
  var rel = null, day = null;
  try {
    rel = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: "auto" });
    day = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
      { year: "numeric", month: "2-digit", day: "2-digit" });
  } catch (e) {
    rel = null;
  }
  function midnight(d) { return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(); }
  function relative(d, now) {
    var s = Math.round((now - d.getTime()) / 1000);
    if (s < 0) return null; // a future moment keeps its exact time
    if (s < 45) return rel.format(0, "second");
    if (s < 3600) return rel.format(-Math.max(1, Math.round(s / 60)), "minute");
    var days = Math.round((midnight(now) - midnight(d)) / 86400000);
    if (days === 0) return rel.format(-Math.round(s / 3600), "hour");
    if (days === 1) return rel.format(-1, "day");
    return day.format(d);
  }
  function agoTime(el) {
    var d = new Date(el.getAttribute("datetime") || "");
    if (!rel || !fmt || isNaN(d.getTime())) return;
    var text = relative(d, new Date());
    if (!text) return;
    el.title = fmt.format(d);
    el.textContent = text;
  }
  function agoAll() { document.querySelectorAll("time.ago[datetime]").forEach(agoTime); }
  agoAll();
  setInterval(agoAll, 60000);

  // == composer == (issue 16): the formatting toolbar with Ctrl+B / Ctrl+I, the preview by the
  // server's own renderer (POST /api/v1/preview), @mention completion (GET /api/v1/users), and
  // the reply box opened under the post it answers. Each composer's toolbar comes hidden in
  // its page (composer_tools.html) with its labels in the reader's language; without this
  // file the textarea, the ?reply= and ?quote= links and the post button do it all.
  function mdChanged(area) {
    area.dispatchEvent(new Event("input", { bubbles: true })); // the draft saver listens
    area.focus();
  }
  // The whole lines the selection touches, each given prefix ("> ", "- ").
  function mdPrefixLines(area, prefix) {
    var v = area.value, s = area.selectionStart, e = area.selectionEnd;
    if (e > s && v.charAt(e - 1) === "\n") e--;
    var from = v.lastIndexOf("\n", s - 1) + 1, to = v.indexOf("\n", e);
    if (to < 0) to = v.length;
    var lines = v.slice(from, to).split("\n").map(function (l) { return prefix + l; }).join("\n");
    area.setRangeText(lines, from, to, "select");
  }
  // The selection between before and after (or the placeholder, selected so typing replaces it).
  function mdWrap(area, before, after, placeholder) {
    var s = area.selectionStart, e = area.selectionEnd;
    var inner = area.value.slice(s, e) || placeholder || "";
    area.setRangeText(before + inner + after, s, e, "end");
    area.setSelectionRange(s + before.length, s + before.length + inner.length);
  }
  function mdApply(area, what, tools) {
    var sel = area.value.slice(area.selectionStart, area.selectionEnd);
    if (what === "bold") mdWrap(area, "**", "**");
    else if (what === "italic") mdWrap(area, "*", "*");
    else if (what === "quote") mdPrefixLines(area, "> ");
    else if (what === "list") mdPrefixLines(area, "- ");
    else if (what === "code" && sel.indexOf("\n") >= 0) mdWrap(area, "```\n", "\n```\n");
    else if (what === "code") mdWrap(area, "`", "`");
    else if (what === "link") {
      var s = area.selectionStart, text = sel || tools.dataset.linkText || "";
      area.setRangeText("[" + text + "](https://)", s, area.selectionEnd, "end");
      area.setSelectionRange(s + text.length + 3, s + text.length + 11); // "https://" selected
    } else return;
    mdChanged(area);
  }

  // Preview: the text as the server renders posts, in place of the box until "Write".
  function mdPreview(area, tools, toggle) {
    var pane = document.createElement("div"), field = area.closest("label") || area;
    var csrf = area.form.querySelector('input[name="csrf"]');
    pane.className = "md-preview";
    pane.hidden = true;
    pane.setAttribute("aria-live", "polite");
    field.parentNode.insertBefore(pane, field.nextSibling);
    function show(on) {
      pane.hidden = !on;
      field.hidden = on;
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.textContent = on ? tools.dataset.write : tools.dataset.preview;
      tools.querySelectorAll("button[data-md]").forEach(function (b) { b.disabled = on; });
      if (!on) area.focus();
    }
    function say(text) { pane.textContent = text || ""; }
    toggle.addEventListener("click", function () {
      if (!pane.hidden) return show(false);
      say("");
      show(true);
      if (!/\S/.test(area.value)) return say(tools.dataset.empty);
      fetch("/api/v1/preview", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf ? csrf.value : "" },
        body: JSON.stringify({ body: area.value }) })
        .then(function (res) { return res.json().then(function (j) { return { ok: res.ok, j: j }; }); })
        .then(function (a) {
          if (!a.ok) throw new Error((a.j && a.j.error && a.j.error.message) || "");
          pane.innerHTML = a.j.html; // rendered and sanitised by the server, as posts are
        })
        .catch(function (err) { say(tools.dataset.failed + (err.message ? " " + err.message : "")); });
    });
    area.form.addEventListener("submit", function () { if (field.hidden) field.hidden = false; });
  }

  // @mention completion, the ARIA combobox pattern on the textarea: "@" and a few letters
  // list matching members (username and display name); arrows move, Enter or Tab picks,
  // Escape closes. The list follows the box; the choice puts "@username " in the text.
  var mentionCount = 0;
  var MENTION_AT = /(^|[^0-9A-Za-z_.@-])@([^\s@]{1,32})$/;
  function mdMentions(area, tools) {
    var id = "mentions-" + ++mentionCount, list = document.createElement("ul");
    var status = document.createElement("span"), field = area.closest("label") || area;
    var found = [], active = -1, start = -1, timer = null, asked = 0;
    list.id = id;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", tools.dataset.mentions || "");
    list.hidden = true;
    status.className = "md-sr";
    status.setAttribute("role", "status");
    field.parentNode.insertBefore(list, field.nextSibling);
    field.parentNode.insertBefore(status, list.nextSibling);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("autocomplete", "off");
    function close() {
      list.hidden = true;
      list.textContent = "";
      found = [];
      active = -1;
      area.removeAttribute("aria-controls");
      area.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, k) {
        li.setAttribute("aria-selected", k === i ? "true" : "false");
      });
      area.setAttribute("aria-activedescendant", id + "-" + i);
    }
    function pick(i) {
      var u = found[i], end = area.selectionStart;
      if (!u || start < 0) return close();
      area.setRangeText("@" + u.username + " ", start, end, "end");
      close();
      mdChanged(area);
    }
    function option(u, i) {
      var li = document.createElement("li"), name = document.createElement("span");
      li.id = id + "-" + i;
      li.setAttribute("role", "option");
      name.textContent = u.display_name;
      li.appendChild(name);
      li.appendChild(document.createTextNode(" @" + u.username));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); }); // keep the caret
      li.addEventListener("click", function () { pick(i); });
      return li;
    }
    function offer(users) {
      close();
      found = users;
      if (!users.length) return;
      users.forEach(function (u, i) { list.appendChild(option(u, i)); });
      list.hidden = false;
      area.setAttribute("aria-controls", id);
      mark(0);
      status.textContent = (tools.dataset.suggestions || "{}").replace("{}", String(users.length));
    }
    function ask() {
      var m = MENTION_AT.exec(area.value.slice(0, area.selectionStart));
      if (!m) return close();
      start = area.selectionStart - m[2].length - 1;
      var mine = ++asked;
      fetch("/api/v1/users?prefix=" + encodeURIComponent(m[2]), { credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.json() : { users: [] }; })
        .then(function (j) { if (mine === asked) offer(j.users || []); }, close);
    }
    area.addEventListener("input", function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    area.addEventListener("blur", function () { setTimeout(close, 150); });
    area.addEventListener("keydown", function (ev) {
      if (list.hidden) return;
      var n = found.length;
      if (ev.key === "ArrowDown") mark((active + 1) % n);
      else if (ev.key === "ArrowUp") mark((active - 1 + n) % n);
      else if (ev.key === "Enter" || ev.key === "Tab") pick(active);
      else if (ev.key === "Escape") close();
      else return;
      ev.preventDefault();
      ev.stopImmediatePropagation();
    });
  }

  function composerOf(tools) {
    var form = tools.closest("form"), area = form && form.querySelector("textarea[name=body]");
    if (!area || typeof window.fetch !== "function" || typeof area.setRangeText !== "function") return;
    tools.hidden = false;
    var resend = form.querySelector(".md-preview-submit"); // the page's own Preview, without JS
    if (resend) resend.hidden = true;
    mdMentions(area, tools); // first: its keys win while the list is open
    tools.querySelectorAll("button[data-md]").forEach(function (b) {
      b.addEventListener("click", function () { mdApply(area, b.dataset.md, tools); });
    });
    area.addEventListener("keydown", function (ev) {
      if (!(ev.ctrlKey || ev.metaKey) || ev.altKey || ev.shiftKey) return;
      var k = ev.key.toLowerCase();
      if (k !== "b" && k !== "i") return;
      ev.preventDefault();
      mdApply(area, k === "b" ? "bold" : "italic", tools);
    });
    mdPreview(area, tools, tools.querySelector(".md-preview-toggle"));
  }
  document.querySelectorAll(".md-toolbar").forEach(composerOf);

  // The reply box under the post it answers: Reply (and Quote) move the page's one reply
  // section below that post, name it, and focus the text; "reply to the thread instead" puts
  // it back. The address becomes the Reply link's, so a reload keeps the reply's target.
  var replySection = document.querySelector("section#reply");
  var replyForm = replySection && replySection.querySelector("form");
  var replyHome = document.createComment("reply box");
  if (replyForm) replySection.parentNode.insertBefore(replyHome, replySection);
  function replyNote(name) {
    var note = replyForm.querySelector("p.replying"), cancel = document.createElement("a");
    if (!note) {
      note = document.createElement("p");
      note.className = "replying";
      replyForm.insertBefore(note, replyForm.querySelector(".md-toolbar, label"));
    }
    note.textContent = (replySection.dataset.replying || "{}").replace("{}", name) + " (";
    cancel.className = "cancel-reply";
    cancel.href = window.location.pathname + "#reply";
    cancel.textContent = replySection.dataset.cancel || "";
    note.appendChild(cancel);
    note.appendChild(document.createTextNode(")"));
  }
  function replyUnder(article, postId) {
    var area = replyForm && replyForm.querySelector("textarea[name=body]");
    if (!area || !article) return;
    var parent = replyForm.querySelector('input[name="parent_id"]');
    if (!parent) {
      parent = document.createElement("input");
      parent.type = "hidden";
      parent.name = "parent_id";
      replyForm.insertBefore(parent, replyForm.firstChild);
    }
    parent.value = String(postId);
    var author = article.querySelector("header .author a");
    replyNote(author ? author.textContent : "");
    article.parentNode.insertBefore(replySection, article.nextSibling);
    replySection.classList.add("under-post");
    area.focus();
  }
  function replyBack() {
    var parent = replyForm.querySelector('input[name="parent_id"]'), note = replyForm.querySelector("p.replying");
    if (parent) parent.parentNode.removeChild(parent);
    if (note) note.parentNode.removeChild(note);
    replyHome.parentNode.insertBefore(replySection, replyHome.nextSibling);
    replySection.classList.remove("under-post");
    replyForm.querySelector("textarea[name=body]").focus();
  }
  if (replyForm) {
    document.addEventListener("click", function (ev) {
      if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
      var link = ev.target.closest && ev.target.closest('article.post footer.actions a[href*="?reply="]');
      var cancel = ev.target.closest && ev.target.closest("section#reply a.cancel-reply");
      if (cancel) {
        ev.preventDefault();
        history.replaceState(null, "", cancel.href);
        return replyBack();
      }
      var m = link && /[?&]reply=(\d+)/.exec(link.getAttribute("href"));
      if (!m) return;
      ev.preventDefault();
      history.replaceState(null, "", link.href);
      replyUnder(link.closest("article.post"), m[1]);
    });
    // a page opened by ?reply= or ?quote= (its box already answers that post) shows it there too
    var target = replyForm.querySelector('input[name="parent_id"]');
    if (target && /[?&](reply|quote)=/.test(window.location.search)) {
      var answered = document.getElementById("p" + target.value);
      if (answered) {
        replyUnder(answered, target.value);
        // the browser's scroll to #reply, after this script, takes the focus from the box
        window.addEventListener("load", function () {
          setTimeout(function () { replyForm.querySelector("textarea[name=body]").focus(); }, 0);
        });
      }
    }
  }

  // == survey == The questionnaire builder: with this file, Add and Remove change its rows in
  // place instead of posting the form to itself. Field names are renumbered after each change
  // so that Create sends the rows exactly as the form without a script would.
  (function () {
    var form = document.querySelector("form.q-builder");
    var list = form && form.querySelector(".q-questions");
    if (!list) return;
    function say(tpl, n) {
      return (tpl || "{}").replace("{}", n);
    }
    function renumberOption(o, i, j) {
      o.querySelector("input").name = "q" + i + "_opt";
      o.querySelector("button").value = "remove_option:" + i + ":" + j;
      o.querySelectorAll(".visually-hidden").forEach(function (s) {
        s.textContent = (s.parentNode.tagName === "BUTTON" ? " " : "") + say(form.dataset.option, j + 1);
      });
    }
    function renumber() {
      var rows = list.querySelectorAll("fieldset.q-question");
      rows.forEach(function (row, i) {
        var remove = row.querySelector("button.q-remove");
        row.querySelector("legend").textContent = say(form.dataset.legend, i + 1);
        row.querySelector("textarea").name = "q" + i + "_prompt";
        row.querySelector("select").name = "q" + i + "_kind";
        row.querySelector('button[value^="add_option:"]').value = "add_option:" + i;
        row.querySelectorAll(".q-option").forEach(function (o, j) { renumberOption(o, i, j); });
        remove.value = "remove:" + i;
        remove.querySelector(".visually-hidden").textContent = " " + say(form.dataset.legend, i + 1);
        remove.hidden = rows.length < 2;
      });
    }
    // A fresh question: the last one emptied, a single choice with two empty options.
    function newQuestion() {
      var rows = list.querySelectorAll("fieldset.q-question");
      var row = rows[rows.length - 1].cloneNode(true);
      var opts = row.querySelectorAll(".q-option");
      if (opts.length === 0) return null;
      row.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
      row.querySelectorAll("[aria-invalid]").forEach(function (e) {
        e.removeAttribute("aria-invalid");
        e.removeAttribute("aria-describedby");
      });
      row.querySelector("textarea").value = "";
      row.querySelector("select").selectedIndex = 0;
      for (var k = 1; k < opts.length; k++) opts[k].remove();
      opts[0].querySelector("input").value = "";
      opts[0].after(opts[0].cloneNode(true));
      list.appendChild(row);
      return row.querySelector("textarea");
    }
    function newOption(row) {
      var opts = row.querySelectorAll(".q-option");
      if (opts.length === 0) return null;
      var o = opts[opts.length - 1].cloneNode(true), input = o.querySelector("input");
      input.value = "";
      input.removeAttribute("aria-invalid");
      opts[opts.length - 1].after(o);
      return input;
    }
    form.addEventListener("click", function (ev) {
      var b = ev.target.closest('button[name="do"]'), v = b ? b.value : "";
      var row = b && b.closest("fieldset.q-question"), focus = null;
      if (v === "add_question") focus = newQuestion();
      else if (v.indexOf("add_option:") === 0) focus = newOption(row);
      else if (v.indexOf("remove_option:") === 0) {
        focus = row.querySelector('button[value^="add_option:"]');
        b.closest(".q-option").remove();
      } else if (v.indexOf("remove:") === 0 && list.children.length > 1) {
        focus = form.querySelector('button[value="add_question"]');
        row.remove();
      }
      if (!focus) return; // Create, or a case the server handles: the form goes as it is
      ev.preventDefault();
      renumber();
      focus.focus();
    });
  })();

  // == feedback ==
  // The flash message stays in view (CSS keeps it at the top while the page scrolls to the
  // post an action led to); a button, labelled by the page, puts it away.
  var flash = document.querySelector(".flash[data-dismiss]");
  if (flash && flash.firstElementChild) {
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "link flash-dismiss";
    dismiss.textContent = "\u00d7";
    dismiss.setAttribute("aria-label", flash.dataset.dismiss);
    dismiss.addEventListener("click", function () {
      flash.textContent = "";
    });
    flash.appendChild(dismiss);
  }

  // Live updates on a thread's last page: each post published there arrives from
  // /live/threads/ID (Server-Sent Events) and is put in place, in tree order under its parent
  // (by time: at the end), without a reload.
  var list = document.querySelector(".posts[data-live]");
  if (!list || typeof window.EventSource !== "function") return;
  var byTime = new URLSearchParams(window.location.search).get("view") === "flat";
  var announcer = document.createElement("div");
  announcer.className = "live-announcer";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  // read by screen readers, not shown
  var hidden = { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" };
  Object.keys(hidden).forEach(function (k) { announcer.style[k] = hidden[k]; });
  list.parentNode.insertBefore(announcer, list.nextSibling);

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The depth of a post on the page: exact for the ones added here, else its indent (the page
  // stops indenting at six levels, where the guess may place a reply a little late).
  function depthOf(article) {
    if (article.dataset.depth) return Number(article.dataset.depth);
    var m = /\bindent-(\d+)\b/.exec(article.className);
    return m ? Number(m[1]) : 0;
  }

  function authorOf(a) {
    var span = el("span", "author");
    var link = el("a", "", a.display_name || a.username);
    link.href = "/u/" + encodeURIComponent(a.username);
    span.appendChild(link);
    [["region", a.region_name], ["position", a.position_name]].forEach(function (tag) {
      if (tag[1]) {
        span.appendChild(document.createTextNode(" "));
        span.appendChild(el("span", "tag " + tag[0], tag[1]));
      }
    });
    return span;
  }

  function articleOf(p) {
    var article = el("article", "post indent-" + p.indent);
    article.id = "p" + p.id;
    article.dataset.depth = String(p.depth);
    var header = el("header");
    header.appendChild(authorOf(p.author));
    header.appendChild(document.createTextNode(" · "));
    var permalink = el("a");
    permalink.href = "/p/" + p.id; // as the page links its posts: /p/ID finds the post's page
    var time = el("time", "", p.created_at_text || p.created_at);
    time.setAttribute("datetime", p.created_at);
    localTime(time);
    time.className = "ago";
    agoTime(time);
    permalink.appendChild(time);
    header.appendChild(permalink);
    article.appendChild(header);
    var body = el("div", "body");
    body.innerHTML = p.body_html; // rendered and sanitised by the server's Markdown renderer
    article.appendChild(body);
    var actions = el("footer", "actions");
    var replyLink = list.querySelector('footer.actions a[href*="?reply="]');
    if (replyLink && document.querySelector("section#reply form")) {
      var mine = el("a", "", replyLink.textContent);
      mine.href = "/t/" + p.thread_id + "?reply=" + p.id + "#reply";
      actions.appendChild(mine);
    }
    article.appendChild(actions);
    return article;
  }

  // A reply whose place in the tree is on an earlier page is not shown out of order here: a
  // line says who answered, with the post's own link (/p/ID finds its page).
  function noteElsewhere(p, name) {
    if (list.querySelector('[data-post="' + p.id + '"]')) return;
    var note = el("p", "live-elsewhere");
    note.dataset.post = String(p.id);
    var link = el("a", "", (list.dataset.liveElsewhere || "{}").replace("{}", name));
    link.href = "/p/" + p.id;
    note.appendChild(link);
    list.appendChild(note);
  }

  // Where a new post goes: after the last of its parent's descendants, as the tree view
  // lists a thread; at the end in the view by time. Returns 0 when it belongs elsewhere.
  function place(article, p) {
    var parent = p.parent_id && document.getElementById("p" + p.parent_id);
    if (!byTime && p.parent_id && (!parent || parent.parentNode !== list)) return 0;
    if (byTime || !parent) {
      list.appendChild(article);
      return 1;
    }
    var depth = depthOf(parent), next = parent.nextElementSibling;
    while (next && next.matches("article.post") && depthOf(next) > depth) next = next.nextElementSibling;
    list.insertBefore(article, next);
    return 1;
  }

  // ?after= (the newest post of the thread when the page was made, which in tree order may be
  // on an earlier page) catches up on posts published between the page and the stream; on
  // reconnecting the browser sends Last-Event-ID, which the server prefers.
  var source = new EventSource(list.dataset.live + "?after=" + Number(list.dataset.liveAfter || 0));
  source.addEventListener("post", function (ev) {
    var p;
    try {
      p = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    if (!p || !p.id || document.getElementById("p" + p.id)) return; // already shown
    var name = (p.author && (p.author.display_name || p.author.username)) || "";
    if (!place(articleOf(p), p)) noteElsewhere(p, name);
    announcer.textContent = (list.dataset.liveNew || "{}").replace("{}", name);
  });
})();
