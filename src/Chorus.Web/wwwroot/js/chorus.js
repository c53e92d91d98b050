// Small browser helpers called from Blazor components through JS interop.
window.chorus = {
  // A half-typed reply, kept in this tab's session storage so it outlives the Blazor circuit (a phone that slept past
  // the reconnect window, a server restart). Per tab and cleared with it; the key names the user and the contact.
  saveDraft: function (key, text) {
    try {
      if (text) {
        sessionStorage.setItem(key, text);
      } else {
        sessionStorage.removeItem(key);
      }
    } catch (e) {
      // storage full or disabled: the draft lives in the circuit only
    }
  },

  loadDraft: function (key) {
    try {
      return sessionStorage.getItem(key);
    } catch (e) {
      return null;
    }
  },

  // The Clipboard API needs a secure context (HTTPS or localhost); self-hosted instances on a LAN address
  // often have neither, so fall back to the older copy command.
  copy: async function (text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch (e) {
      // fall through to the fallback
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  },

  // The message composer inserts merge fields where the cursor was; a click on the insert button has already
  // moved focus away, but a text box keeps its selection.
  selection: function (id) {
    const element = document.getElementById(id);
    if (!element || typeof element.selectionStart !== "number") {
      return null;
    }
    return [element.selectionStart, element.selectionEnd];
  },

  focusAt: function (id, start, end) {
    const element = document.getElementById(id);
    if (!element) {
      return;
    }
    element.focus();
    if (typeof element.setSelectionRange === "function") {
      element.setSelectionRange(start, end);
    }
  },

  // Saves a file the server streamed over the circuit (the rejected rows of an import) through a blob URL.
  download: async function (fileName, contentType, streamRef) {
    const buffer = await streamRef.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type: contentType }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  },

  // The send screen's Send button: a held Enter or Space repeats keydown, and each repeat would click the button
  // again, sending the next contact without a deliberate press. Only the first keydown of a press counts.
  guardRepeats: function (element) {
    if (!element || element.dataset.repeatGuard) {
      return;
    }
    element.dataset.repeatGuard = "1";
    element.addEventListener("keydown", function (e) {
      if (e.repeat && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
      }
    });
  },

  // A conversation opens, and grows, at its newest message.
  scrollToEnd: function (element) {
    if (element) {
      element.scrollTop = element.scrollHeight;
    }
  },

  timeZone: function () {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch (e) {
      return null;
    }
  }
};
