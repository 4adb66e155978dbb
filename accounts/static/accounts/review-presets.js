// Review page: a common rejection reason fills in the message to the student (and
// selects "Reject"), ready to edit. Without JavaScript the server sends the chosen
// reason when the message is left empty.
document.addEventListener("DOMContentLoaded", () => {
    const message = document.getElementById("id_message");
    const presets = document.querySelectorAll('input[name="reason_preset"]');
    if (!message || !presets.length) {
        return;
    }
    let filled = "";
    presets.forEach((radio) => {
        radio.addEventListener("change", () => {
            if (!radio.checked) {
                return;
            }
            const text = radio.value ? radio.closest("label").textContent.trim() : "";
            const current = message.value.trim();
            if (current === "" || current === filled) {
                message.value = text;
            } else if (text && !current.includes(text)) {
                message.value = `${current}\n\n${text}`;
            }
            filled = text;
            if (text) {
                const reject = document.querySelector('input[name="decision"][value="reject"]');
                if (reject) {
                    reject.checked = true;
                }
            }
        });
    });
});
