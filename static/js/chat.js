/* Live chat: the customer's panel (#chat-launcher) and the agent console (#chat-console).
 *
 * Real time over a WebSocket; when it cannot connect (or drops), the page polls the JSON
 * endpoints instead and retries the socket now and then. Every text from the server is put
 * in the page with textContent, never as HTML. No third-party code, no inline handlers.
 */
(function () {
  "use strict";

  var RETRY_SOCKET_MS = 30000;
  var TYPING_SEND_MS = 2000;
  var TYPING_SHOW_MS = 4000;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* Text a person typed (a name, a message): dir="auto" isolates it, so a text-direction
     character in it cannot reorder the page around it (the server also refuses or strips them). */
  function typed(tag, className, text) {
    var node = el(tag, className, text);
    node.dir = "auto";
    return node;
  }

  function show(node, visible) {
    if (node) node.hidden = !visible;
  }

  /* Polling: a "typing" signal sent while a message is still on its way could reach the server
     first, and the message (which ends "typing") would then hide it. Send it after the message. */
  function afterSending(sending, signal) {
    if (sending) sending.then(signal, signal);
    else signal();
  }

  /* "… is typing": shown on a typing signal, gone TYPING_SHOW_MS after the last one, when the
     message arrives, or when the chat ends, however the signal came (socket frame or poll). */
  function TypingLine(node) {
    this.node = node;
    this.timer = null;
  }
  TypingLine.prototype.set = function (typing) {
    var self = this;
    window.clearTimeout(this.timer);
    show(this.node, typing);
    if (typing) this.timer = window.setTimeout(function () { show(self.node, false); }, TYPING_SHOW_MS);
  };

  function request(method, url, csrf, body) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf;
      options.body = JSON.stringify(body || {});
    }
    return fetch(url, options).then(function (response) {
      return response.text().then(function (text) {
        var data = {};
        try { data = text ? JSON.parse(text) : {}; } catch (e) { data = {}; }
        return { ok: response.ok, status: response.status, data: data };
      });
    }, function () {
      return { ok: false, status: 0, data: { error: "You seem to be offline. We will keep trying." } };
    });
  }

  function socketUrl(base, path) {
    if (base) return base + path;
    return (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + path;
  }

  /* A WebSocket that falls back to polling: onEvent gets each frame, poll() runs while offline. */
  function Live(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.socket = null;
    this.pollTimer = null;
    this.connect();
  }
  Live.prototype.isOpen = function () {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  };
  Live.prototype.connect = function () {
    var self = this;
    var socket;
    try { socket = new WebSocket(this.url); } catch (e) { this.fallBack(); return; }
    this.socket = socket;
    socket.addEventListener("open", function () {
      self.stopPolling();
      self.handlers.mode(true);
      if (self.handlers.onOpen) self.handlers.onOpen();
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      self.handlers.onEvent(frame);
    });
    socket.addEventListener("close", function () {
      self.socket = null;
      self.fallBack();
    });
  };
  Live.prototype.stop = function () {
    this.stopped = true;
    this.stopPolling();
    if (this.socket !== null) this.socket.close();
  };
  Live.prototype.fallBack = function () {
    var self = this;
    if (this.stopped) return;
    this.handlers.mode(false);
    if (this.pollTimer === null) {
      this.handlers.poll();
      this.pollTimer = window.setInterval(function () { self.handlers.poll(); }, this.handlers.pollMs);
    }
    window.setTimeout(function () { if (!self.isOpen() && self.socket === null) self.connect(); }, RETRY_SOCKET_MS);
  };
  Live.prototype.stopPolling = function () {
    if (this.pollTimer !== null) window.clearInterval(this.pollTimer);
    this.pollTimer = null;
  };
  Live.prototype.send = function (frame) {
    if (!this.isOpen()) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  };

  /* A message leaves its box when it is sent, not when the server answers: what the person types
     meanwhile stays. takeSent removes only the sent text (other text typed after it stays);
     giveBack puts a refused message back in front of whatever was typed since. */
  function takeSent(box, text) {
    var value = box.value.replace(/^\s+/, "");
    if (value.indexOf(text) === 0) box.value = value.slice(text.length).replace(/^\s+/, "");
  }
  function giveBack(box, text) {
    var rest = box.value.trim();
    box.value = rest ? text + "\n" + rest : text;
  }

  /* Only a fallback to polling is worth saying; a working connection needs no text. */
  function modeText(node, live) {
    if (!node) return;
    node.textContent = live ? "" : "Live connection unavailable: updates every few seconds.";
    show(node, !live);
  }

  /* Same rule as the server (chat/heuristics.py): warn before sending something password-like. */
  var LABELLED = /\b(pass(word|phrase|wd|code)?|pwd|pw|master\s+password|account\s+key|pin)\s*[:=]\s*\S+/i;
  var URL_OR_EMAIL = /^(https?:\/\/|www\.)|^[^@\s]+@[^@\s]+\.[^@\s]+$/i;
  function classes(token) {
    return (/[a-z]/.test(token) ? 1 : 0) + (/[A-Z]/.test(token) ? 1 : 0) +
      (/[0-9]/.test(token) ? 1 : 0) + (/[^A-Za-z0-9]/.test(token) ? 1 : 0);
  }
  function looksLikePassword(text) {
    if (LABELLED.test(text)) return true;
    return text.split(/\s+/).some(function (raw) {
      var token = raw.replace(/^["'()[\]{}<>.,;!?]+|["'()[\]{}<>.,;!?]+$/g, "");
      if (URL_OR_EMAIL.test(token)) return false;
      if (token.length >= 10 && classes(token) >= 3) return true;
      return token.length >= 24 && classes(token) >= 2 && !/^[A-Za-z]+$/.test(token);
    });
  }

  /* message.time is written by the server in the site's one format ("1 Dec 2026, 14:05", UTC);
     agents read system notices in their own words (message.agent_body). */
  function messageItem(message, labels, forAgent) {
    var item = el("li", "chat-message chat-message-" + message.sender);
    item.dataset.id = message.id;
    item.appendChild(el("span", "chat-message-meta", (labels[message.sender] || "") + " · " + (message.time || "")));
    if (message.flagged) item.appendChild(el("span", "badge badge-danger", labels.flagged));
    item.appendChild(typed("span", "chat-message-body", (forAgent && message.agent_body) || message.body));
    return item;
  }

  /* ---------------------------------------------------------------- customer */

  function customerPanel(root) {
    var d = root.dataset;
    var $ = function (id) { return document.getElementById(id); };
    var panel = $("chat-panel");
    var openButton = $("chat-open");
    var list = $("chat-messages");
    var input = $("chat-input");
    var errorBox = $("chat-error");
    var warning = $("chat-secret-warning");
    var labels = { customer: "You", agent: "Support", system: "Notice", flagged: "looked like a password" };
    var state = { chat: null, lastId: 0, live: null, pendingSecret: null, typingSentAt: 0 };
    var agentTyping = new TypingLine($("chat-typing"));

    function error(text) {
      errorBox.textContent = text || "";
      show(errorBox, !!text);
    }

    // The start form's refusals that belong to one field: shown under it, like the site's forms.
    var startFields = { name_required: "chat-name", name_invalid: "chat-name", email_invalid: "chat-email" };

    function fieldError(fieldId, text) {
      var field = $(fieldId);
      var box = $(fieldId + "-error");
      box.querySelector("li").textContent = text || "";
      show(box, !!text);
      field.closest(".field").classList.toggle("field-invalid", !!text);
      if (text) {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", box.id);
      } else {
        field.removeAttribute("aria-invalid");
        field.removeAttribute("aria-describedby");
      }
    }

    function addMessages(messages) {
      messages.forEach(function (message) {
        if (message.id <= state.lastId && list.querySelector('[data-id="' + message.id + '"]')) return;
        list.appendChild(messageItem(message, labels));
        state.lastId = Math.max(state.lastId, message.id);
        if (message.sender === "agent") agentTyping.set(false);
      });
      list.scrollTop = list.scrollHeight;
    }

    function renderStatus(status) {
      var text = { waiting: "Waiting for an agent. Thanks for your patience.", active: "You are chatting with support.",
        closed: "This chat has ended." }[status] || "";
      $("chat-status").textContent = text;
      show($("chat-compose"), status !== "closed");
      show($("chat-ended"), status === "closed");
      if (status === "closed") { show(warning, false); agentTyping.set(false); }
    }

    function renderChat(chat) {
      state.chat = chat;
      show($("chat-start"), !chat);
      show($("chat-conversation"), !!chat);
      if (!chat) return;
      renderStatus(chat.status);
      $("chat-transcript").disabled = chat.transcript_emailed;
      if (!state.live) {
        state.live = new Live(socketUrl(d.wsBase, d.wsPath + chat.id + "/"), {
          pollMs: parseInt(d.pollSeconds, 10) * 1000 || 3000,
          mode: function (live) { modeText($("chat-mode"), live); },
          poll: poll,
          onOpen: poll,
          onEvent: onEvent,
        });
      }
    }

    function applyState(data) {
      if (data.chat && state.chat && data.chat.id !== state.chat.id) return;
      if (data.chat) {
        renderChat(data.chat);
        agentTyping.set(!!data.agent_typing && data.chat.status !== "closed");
        addMessages(data.messages || []);
      }
    }

    function poll() {
      request("GET", d.stateUrl + "?after=" + state.lastId, d.csrf).then(function (r) { if (r.ok) applyState(r.data); });
    }

    function onEvent(frame) {
      if (frame.type === "message") addMessages([frame.message]);
      else if (frame.type === "status") { state.chat.status = frame.status; renderStatus(frame.status); }
      else if (frame.type === "typing" && frame.sender === "agent") agentTyping.set(true);
      else if (frame.type === "error") {
        if (frame.error === "looks_like_password" && state.lastSent) {
          giveBack(input, state.lastSent);
          askAboutSecret(state.lastSent);
        } else error(frame.detail);
      }
    }

    /* The text is in the box already (refused before sending) or put back by giveBack. */
    function askAboutSecret(text) {
      state.pendingSecret = text;
      show(warning, true);
      $("chat-secret-edit").focus();
    }

    function send(text, confirmed) {
      error("");
      state.lastSent = text;
      state.typingSentAt = 0;  // the message ends "typing" on the other side: the next key says it again
      takeSent(input, text);
      if (state.live && state.live.send({ type: "message", body: text, confirmed: confirmed })) return;
      state.sending = request("POST", d.sendUrl, d.csrf, { body: text, confirmed: confirmed });
      state.sending.then(function (r) {
        if (r.ok) { addMessages([r.data.message]); return; }
        giveBack(input, text);
        if (r.data.error === "looks_like_password") askAboutSecret(text);
        else error(r.data.detail || "Your message could not be sent. Please try again.");
      });
    }

    /* The panel replaces the launcher button while it is open ("Hide" brings the button back). */
    openButton.addEventListener("click", function () {
      show(panel, true);
      show(openButton, false);
      openButton.setAttribute("aria-expanded", "true");
      window.sessionStorage.setItem("chat-panel-open", "1");
      ($("chat-name").offsetParent ? $("chat-name") : input).focus();
    });
    $("chat-hide").addEventListener("click", function () {
      show(panel, false);
      show(openButton, true);
      openButton.setAttribute("aria-expanded", "false");
      window.sessionStorage.setItem("chat-panel-open", "");
      openButton.focus();
    });

    $("chat-start").addEventListener("submit", function (event) {
      event.preventDefault();
      error("");
      Object.keys(startFields).forEach(function (code) { fieldError(startFields[code], ""); });
      request("POST", d.startUrl, d.csrf, { name: $("chat-name").value, email: $("chat-email").value }).then(function (r) {
        if (r.ok) {
          if (state.live) state.live.stop();
          state.live = null;
          list.textContent = "";
          state.lastId = 0;
          applyState(r.data);
          input.focus();
          return;
        }
        var fieldId = startFields[r.data.error];
        if (fieldId) {
          fieldError(fieldId, r.data.detail);
          $(fieldId).focus();
          return;
        }
        error(r.data.detail || "The chat could not start. Please try again.");
        if (r.data.error === "no_agents" && d.ticketPage !== "1") { show($("chat-offline"), true); }
      });
    });

    $("chat-compose").addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      if (text.length > parseInt(d.maxChars, 10)) { error("Your message is too long."); return; }
      if (looksLikePassword(text)) { askAboutSecret(text); return; }
      send(text, false);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        $("chat-compose").requestSubmit();
      }
    });
    input.addEventListener("input", function () {
      var now = Date.now();
      if (!state.chat || now - state.typingSentAt < TYPING_SEND_MS) return;
      state.typingSentAt = now;
      if (state.live && state.live.send({ type: "typing" })) return;
      afterSending(state.sending, function () { request("POST", d.typingUrl, d.csrf, {}); });
    });
    $("chat-secret-edit").addEventListener("click", function () {
      show(warning, false);
      state.pendingSecret = null;
      input.focus();
    });
    $("chat-secret-send").addEventListener("click", function () {
      show(warning, false);
      var text = state.pendingSecret;
      state.pendingSecret = null;
      if (text) send(text, true);
    });
    $("chat-end").addEventListener("click", function () {
      request("POST", d.closeUrl, d.csrf, {}).then(function (r) { if (r.ok) applyState(r.data); });
    });
    $("chat-transcript").addEventListener("click", function () {
      var button = $("chat-transcript");
      button.disabled = true;
      request("POST", d.transcriptUrl, d.csrf, {}).then(function (r) {
        if (r.ok) $("chat-status").textContent = "We are e-mailing the transcript to " + r.data.sent_to + ".";
        else { error(r.data.detail || "The transcript could not be sent."); button.disabled = r.status === 409; }
      });
    });
    $("chat-new").addEventListener("click", function () {
      if (state.live) state.live.stop();
      state.live = null;
      show($("chat-start"), true);
      show($("chat-conversation"), false);
      state.chat = null;
    });

    request("GET", d.stateUrl, d.csrf).then(function (r) {
      if (!r.ok) return;
      if (r.data.chat) {
        show(openButton, true);
        show($("chat-offline"), false);
        applyState(r.data);
      } else {
        // Agents may have come or gone since the page was made: offer the way in that works now,
        // never neither (the offline notice is not shown on the ticket pages themselves).
        show(openButton, !!r.data.online);
        show($("chat-offline"), !r.data.online && d.ticketPage !== "1");
      }
      if (window.sessionStorage.getItem("chat-panel-open") === "1" && !openButton.hidden) openButton.click();
    });
  }

  /* ---------------------------------------------------------------- agent */

  function agentConsole(root) {
    var d = root.dataset;
    var canned = JSON.parse(document.getElementById("chat-canned-answers").textContent);
    var queueBody = document.getElementById("chat-queue");
    var mine = document.getElementById("chat-mine");
    var errorBox = document.getElementById("console-error");
    var panels = {};
    var labels = { customer: "Customer", agent: "You", system: "Notice", flagged: "looked like a password: do not use it" };
    var live;
    /* One request at a time: polls, heartbeats and actions of one agent never overlap. */
    var pending = Promise.resolve();
    function call(method, url, body) {
      var next = pending.then(function () { return request(method, url, d.csrf, body); });
      pending = next.catch(function () {});
      return next;
    }

    function error(text) {
      errorBox.textContent = text || "";
      show(errorBox, !!text);
    }

    function waited(seconds) {
      if (seconds < 60) return seconds + " s";
      return Math.floor(seconds / 60) + " min " + (seconds % 60) + " s";
    }

    function waitingCount(count) {
      var link = document.querySelector(".console-nav a[aria-current=page]");
      if (!link) return;
      var badge = document.getElementById("chat-waiting-count");
      if (!count) { if (badge) badge.remove(); return; }
      if (!badge) {
        badge = el("span", "badge badge-warn nav-count");
        badge.id = "chat-waiting-count";
        link.appendChild(document.createTextNode(" "));
        link.appendChild(badge);
      }
      badge.textContent = String(count);
      badge.appendChild(el("span", "visually-hidden", " waiting"));
    }

    var availableBox = document.getElementById("chat-available");
    if (availableBox) {
      availableBox.addEventListener("change", function () {
        var wanted = availableBox.checked;
        call("POST", d.availabilityUrl, { available: wanted }).then(function (r) {
          if (r.ok) { availableBox.checked = r.data.available; error(""); }
          else { availableBox.checked = !wanted; error(r.data.detail || "Your availability could not be changed."); }
        });
      });
    }

    function refreshQueue() {
      call("GET", d.queueUrl).then(function (r) {
        if (!r.ok) return;
        waitingCount(r.data.waiting);
        if (availableBox && typeof r.data.available === "boolean") availableBox.checked = r.data.available;
        queueBody.textContent = "";
        r.data.queue.forEach(function (chat) {
          var row = el("tr");
          var who = el("td");
          who.appendChild(typed("strong", null, chat.name));
          who.appendChild(el("div", "muted", chat.email));
          if (chat.account_id) who.appendChild(el("span", "badge", "Account " + chat.account_id));
          row.appendChild(who);
          row.appendChild(el("td", null, waited(chat.waiting_seconds)));
          var action = el("td");
          var button = el("button", "button button-small", "Pick up");
          button.type = "button";
          button.addEventListener("click", function () { pickUp(chat.id, button); });
          action.appendChild(button);
          row.appendChild(action);
          queueBody.appendChild(row);
        });
        show(document.getElementById("chat-queue-empty"), r.data.queue.length === 0);
        var more = document.getElementById("chat-queue-more");
        var hiddenCount = r.data.waiting - r.data.queue.length;
        more.textContent = hiddenCount > 0 ? hiddenCount + " more waiting: they appear here as the chats above are picked up." : "";
        show(more, hiddenCount > 0);
        r.data.mine.forEach(function (chat) { if (!panels[chat.id]) loadPanel(chat.id); });
      });
    }

    function pickUp(id, button) {
      button.disabled = true;
      error("");
      if (live.send({ type: "pick_up", chat: id })) return;
      call("POST", d.baseUrl + id + "/pick-up/", {}).then(function (r) {
        if (r.ok) openPanel(r.data.chat, r.data.messages);
        else error(r.data.detail || "This chat could not be picked up.");
        refreshQueue();
      });
    }

    function loadPanel(id) {
      call("GET", d.baseUrl + id + "/messages/").then(function (r) {
        if (r.ok) openPanel(r.data.chat, r.data.messages);
      });
    }

    function openPanel(chat, messages) {
      if (panels[chat.id]) { addMessages(chat.id, messages); return; }
      var p = { id: chat.id, lastId: 0, typingSentAt: 0 };
      var card = el("article", "card chat-agent-panel");
      card.appendChild(typed("h3", null, chat.name));
      var who = el("p", "muted", chat.email + " ");
      who.appendChild(el("span", chat.signed_in ? "badge badge-ok" : "badge badge-warn",
        chat.signed_in ? "signed in" : "not signed in: identity not proven"));
      card.appendChild(who);
      var account = el("p");
      if (chat.account_url) {
        var link = el("a", null, "Account " + chat.account_id);
        link.href = chat.account_url;
        account.appendChild(link);
      } else {
        account.appendChild(el("span", "muted", "Not linked to an account: the identity is not proven. "));
        var lookup = el("a", null, "Look up this address");
        lookup.href = chat.lookup_url;
        account.appendChild(lookup);
      }
      var transcript = el("a", "chat-transcript-link", "Full transcript");
      transcript.href = d.baseUrl + chat.id + "/";
      account.appendChild(document.createTextNode(" · "));
      account.appendChild(transcript);
      p.ticketNote = el("span", "chat-ticket-note");
      p.ticketNote.hidden = true;
      account.appendChild(p.ticketNote);
      card.appendChild(account);
      p.list = el("ol", "chat-messages");
      p.list.setAttribute("aria-live", "polite");
      p.list.setAttribute("aria-label", "Messages with " + chat.name);
      p.list.tabIndex = 0;  // a long chat scrolls in its box: with the keyboard too
      card.appendChild(p.list);
      var typingLine = el("p", "chat-typing muted", "Customer is typing…");
      typingLine.hidden = true;
      card.appendChild(typingLine);
      p.typing = new TypingLine(typingLine);

      p.form = el("form", "chat-compose");
      var select = el("select", "input chat-canned");
      select.setAttribute("aria-label", "Canned answers");
      select.appendChild(el("option", null, "Canned answers…"));
      canned.forEach(function (text) { var option = el("option", null, text); option.value = text; select.appendChild(option); });
      select.addEventListener("change", function () {
        if (select.selectedIndex > 0) { p.input.value = select.value; p.input.focus(); }
        select.selectedIndex = 0;
      });
      p.form.appendChild(select);
      p.input = el("textarea", "input");
      p.input.rows = 2;
      p.input.maxLength = parseInt(d.maxChars, 10);
      p.input.setAttribute("aria-label", "Reply to " + chat.name);
      p.form.appendChild(p.input);
      var actions = el("div", "chat-compose-actions");
      var sendButton = el("button", "button button-small", "Send");
      sendButton.type = "submit";
      actions.appendChild(sendButton);
      p.ticketButton = el("button", "button button-small button-secondary", "Turn into ticket");
      p.ticketButton.type = "button";
      actions.appendChild(p.ticketButton);
      var closeButton = el("button", "button button-small button-danger", "Close chat");
      closeButton.type = "button";
      actions.appendChild(closeButton);
      p.form.appendChild(actions);
      card.appendChild(p.form);
      p.card = card;

      p.form.addEventListener("submit", function (event) {
        event.preventDefault();
        var text = p.input.value.trim();
        if (!text) return;
        p.typingSentAt = 0;  // the message ends "typing" on the other side: the next key says it again
        takeSent(p.input, text);
        if (live.send({ type: "message", chat: p.id, body: text })) return;
        p.sending = call("POST", d.baseUrl + p.id + "/messages/", { body: text });
        p.sending.then(function (r) {
          if (r.ok) { addMessages(p.id, [r.data.message]); return; }
          giveBack(p.input, text);
          error(r.data.detail || "Your reply could not be sent. Please try again.");
        });
      });
      p.input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); p.form.requestSubmit(); }
      });
      p.input.addEventListener("input", function () {
        var now = Date.now();
        if (now - p.typingSentAt < TYPING_SEND_MS) return;
        p.typingSentAt = now;
        if (live.send({ type: "typing", chat: p.id })) return;
        afterSending(p.sending, function () { call("POST", d.baseUrl + p.id + "/typing/", {}); });
      });
      p.ticketButton.addEventListener("click", function () {
        p.ticketButton.disabled = true;
        call("POST", d.baseUrl + p.id + "/ticket/", {}).then(function (r) {
          if (r.ok) { error(""); showTicket(p, r.data.chat); pollPanel(p); }
          else if (r.status === 409) pollPanel(p);  // already a ticket: the poll shows which one
          else { error(r.data.detail || "The ticket could not be created."); p.ticketButton.disabled = false; }
        });
      });
      closeButton.addEventListener("click", function () {
        call("POST", d.baseUrl + p.id + "/close/", {}).then(function (r) {
          if (r.ok) setClosed(p); else error(r.data.detail);
        });
      });

      panels[chat.id] = p;
      mine.appendChild(card);
      show(document.getElementById("chat-mine-empty"), false);
      showTicket(p, chat);
      addMessages(chat.id, messages);
      if (chat.status === "closed") setClosed(p);
      p.input.focus();
    }

    /* A chat turned into a ticket: its number links to the console ticket; the button goes. */
    function showTicket(p, chat) {
      if (!chat.ticket_number || !p.ticketNote.hidden) return;
      p.ticketNote.appendChild(document.createTextNode(" · Ticket "));
      var link = el("a", "mono", chat.ticket_number);
      link.href = chat.ticket_url;
      p.ticketNote.appendChild(link);
      show(p.ticketNote, true);
      p.ticketButton.remove();
    }

    function setClosed(p) {
      p.closed = true;
      p.typing.set(false);
      show(p.form, false);
      if (!p.card.querySelector(".chat-closed-note")) {
        var note = el("p", "chat-closed-note muted", "This chat is closed. ");
        var dismiss = el("button", "link-button", "Remove from my chats");
        dismiss.type = "button";
        dismiss.addEventListener("click", function () { p.card.remove(); delete panels[p.id]; });
        note.appendChild(dismiss);
        p.card.appendChild(note);
      }
    }

    function addMessages(id, messages) {
      var p = panels[id];
      if (!p) return;
      messages.forEach(function (message) {
        if (p.list.querySelector('[data-id="' + message.id + '"]')) return;
        p.list.appendChild(messageItem(message, labels, true));
        p.lastId = Math.max(p.lastId, message.id);
        if (message.sender === "customer") p.typing.set(false);
      });
      p.list.scrollTop = p.list.scrollHeight;
    }

    function pollPanel(p) {
      call("GET", d.baseUrl + p.id + "/messages/?after=" + p.lastId).then(function (r) {
        if (!r.ok) return;
        p.typing.set(r.data.customer_typing);
        addMessages(p.id, r.data.messages);
        showTicket(p, r.data.chat);
        if (r.data.chat.status === "closed") setClosed(p);
      });
    }

    function onEvent(frame) {
      var p = frame.chat && panels[frame.chat];
      if (frame.type === "queue") refreshQueue();
      else if (frame.type === "picked_up") { openPanel(frame.chat, frame.messages); refreshQueue(); }
      else if (frame.type === "pick_up_failed") { error("Another agent already picked up this chat."); refreshQueue(); }
      else if (frame.type === "message" && p) addMessages(p.id, [frame.message]);
      else if (frame.type === "typing" && p && frame.sender === "customer") p.typing.set(true);
      else if (frame.type === "status" && p) {
        if (frame.status === "closed") setClosed(p);
        if (frame.ticket_created) pollPanel(p);  // brings the ticket's number and link
      } else if (frame.type === "error") error(frame.detail);
    }

    live = new Live(socketUrl(d.wsBase, d.wsPath), {
      pollMs: parseInt(d.pollSeconds, 10) * 1000 || 3000,
      mode: function (isLive) { modeText(document.getElementById("console-mode"), isLive); },
      poll: function () {
        refreshQueue();
        Object.keys(panels).forEach(function (id) { if (!panels[id].closed) pollPanel(panels[id]); });
      },
      onOpen: refreshQueue,
      onEvent: onEvent,
    });
    window.setInterval(function () {
      if (!live.send({ type: "heartbeat" })) call("POST", d.heartbeatUrl, {});
    }, 20000);
    window.setInterval(refreshQueue, 15000);
    refreshQueue();
  }

  function start() {
    var launcher = document.getElementById("chat-launcher");
    if (launcher) customerPanel(launcher);
    var console_ = document.getElementById("chat-console");
    if (console_) agentConsole(console_);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
