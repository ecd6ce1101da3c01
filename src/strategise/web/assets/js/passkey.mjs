// Passkeys (WebAuthn) on the second-factor pages: make one, or sign in with one.
//
// Each element marked data-passkey-ceremony="register" or "sign-in" holds a button, a
// hidden error summary and the form's CSRF token. Without WebAuthn (or JavaScript) the
// element stays hidden and the page's code form is all there is. The server sends and
// receives the WebAuthn JSON; this file only turns its base64url fields into bytes and
// back. It is a static file, so it runs under the site's Content Security Policy.

const FAILED = "Something went wrong. Try again, or enter a code instead";
const CANCELLED =
  "The passkey was cancelled or took too long. Try again, or enter a code instead";

function toBytes(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
}

function toText(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function withIds(descriptors) {
  return (descriptors || []).map((descriptor) => ({ ...descriptor, id: toBytes(descriptor.id) }));
}

function creationOptions(json) {
  return {
    ...json,
    challenge: toBytes(json.challenge),
    user: { ...json.user, id: toBytes(json.user.id) },
    excludeCredentials: withIds(json.excludeCredentials),
  };
}

function requestOptions(json) {
  return {
    ...json,
    challenge: toBytes(json.challenge),
    allowCredentials: withIds(json.allowCredentials),
  };
}

function registrationAnswer(credential) {
  const response = credential.response;
  return {
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toText(response.clientDataJSON),
      attestationObject: toText(response.attestationObject),
      transports: response.getTransports ? response.getTransports() : [],
    },
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment,
  };
}

function authenticationAnswer(credential) {
  const response = credential.response;
  return {
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toText(response.clientDataJSON),
      authenticatorData: toText(response.authenticatorData),
      signature: toText(response.signature),
      userHandle: response.userHandle ? toText(response.userHandle) : null,
    },
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment,
  };
}

async function post(url, token, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body,
  });
  let answer;
  try {
    answer = await response.json();
  } catch {
    throw new Error(FAILED);
  }
  if (!response.ok) throw new Error(answer.error || FAILED);
  return answer;
}

async function ceremony(element) {
  const token = element.querySelector("input[name='csrfmiddlewaretoken']").value;
  const options = await post(element.dataset.optionsUrl, token, "{}");
  let answer;
  if (element.dataset.passkeyCeremony === "register") {
    const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
    answer = registrationAnswer(credential);
  } else {
    const credential = await navigator.credentials.get({ publicKey: requestOptions(options) });
    answer = authenticationAnswer(credential);
  }
  const result = await post(element.dataset.answerUrl, token, JSON.stringify(answer));
  window.location.assign(result.redirect);
}

function enhance(element) {
  const button = element.querySelector("[data-passkey-start]");
  const summary = element.querySelector("[data-passkey-error]");
  const message = element.querySelector("[data-passkey-message]");
  element.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    summary.hidden = true;
    try {
      await ceremony(element);
    } catch (problem) {
      const browserError = problem instanceof DOMException;
      message.textContent =
        browserError && problem.name === "NotAllowedError" ? CANCELLED : problem.message || FAILED;
      summary.hidden = false;
      summary.focus();
    } finally {
      button.disabled = false;
    }
  });
}

if (window.PublicKeyCredential) {
  document.querySelectorAll("[data-passkey-ceremony]").forEach(enhance);
}
