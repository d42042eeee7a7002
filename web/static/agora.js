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
  // plain text), in the reply box of this page; with none, the link's page quotes the whole
  // post's Markdown.
  document.querySelectorAll("a.quote[data-post]").forEach(function (link) {
    link.addEventListener("click", function (ev) {
      var area = document.querySelector("section#reply textarea[name=body]");
      var sel = window.getSelection ? window.getSelection() : null;
      var body = link.closest("article.post") && link.closest("article.post").querySelector(".body");
      if (!area || !sel || sel.isCollapsed || !body || !body.contains(sel.anchorNode) || !body.contains(sel.focusNode)) return;
      var text = sel.toString().replace(/\s+$/, "");
      if (!text) return;
      ev.preventDefault();
      var quote = "[@" + link.dataset.author + "](/p/" + link.dataset.post + "):\n" +
        text.split("\n").map(function (line) { return line ? "> " + line : ">"; }).join("\n") + "\n\n";
      area.value = area.value ? area.value.replace(/\s*$/, "") + "\n\n" + quote : quote;
      var parent = area.form.querySelector('input[name="parent_id"]');
      if (!parent) {
        parent = document.createElement("input");
        parent.type = "hidden";
        parent.name = "parent_id";
        area.form.appendChild(parent);
      }
      parent.value = link.dataset.post;
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
      if (replyDraft) replyDraft.saveSoon();
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
