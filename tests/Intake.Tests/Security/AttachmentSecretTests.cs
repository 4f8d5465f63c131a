using System.Text;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using static Intake.Tests.Channels.Email.InboundParsePosts;
using static Intake.Tests.Security.MailIntakeProbe;
using static Intake.Tests.Security.MailSecretSamples;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a customer who was told to "send your wallet backup" attaches it to a mail — a <c>seed.txt</c>, a keystore
/// JSON, <c>wallet.dat</c>, a private-key file, a forwarded message holding the phrase, or the phrase as a file name.
/// Stored as sent, the secret would sit in Blob Storage for anyone with access to read, and the customer would not be
/// told to move their funds. Every text-like attachment (and attached message) is scanned like the mail's text; one
/// holding a secret, and any known wallet or key file, is withheld (noted with its kind, never stored), the ticket
/// flagged <c>secret_exposed</c>, made urgent, and the acknowledgement tells the customer to move their funds.
/// </summary>
public sealed class AttachmentSecretTests(AzuriteFixture azurite)
{
    private const string MoveFunds = "move them to a new wallet";

    public static TheoryData<string, string, string, string> Files() => new()
    {
        // name, content type, kind of sample, expected note
        { "seed.txt", "text/plain", "phrase", "secret:mnemonic" },
        { "backup.csv", "text/csv", "phrase", "secret:mnemonic" },
        { "notes.md", "text/markdown", "phrase", "secret:mnemonic" },
        { "debug.log", "application/octet-stream", "phrase", "secret:mnemonic" },
        { "wallet-backup", "application/octet-stream", "phrase", "secret:mnemonic" },
        { "seed-utf16.txt", "text/plain", "phrase-utf16", "secret:mnemonic" },
        { "page.html", "text/html", "phrase-html", "secret:mnemonic" },
        { "UTC--2026-11-23T10-00-00.000Z--keystore.json", "application/json", "keystore", "secret:private_key" },
        { "my-account.txt", "text/plain", "keystore", "secret:private_key" },
        { "wallet.dat", "application/octet-stream", "random", "secret:private_key" },
        { "backup.bin", "application/octet-stream", "berkeley-db", "secret:private_key" },
        { "server.key", "application/octet-stream", "random", "secret:private_key" },
        { "cert.pem", "application/x-pem-file", "random", "secret:private_key" },
        { "identity.p12", "application/x-pkcs12", "random", "secret:private_key" },
        { "identity.pfx", "application/octet-stream", "random", "secret:private_key" },
        { "android.keystore", "application/octet-stream", "random", "secret:private_key" },
        { "readme.txt", "text/plain", "pem-inside", "secret:private_key" },
        { "id_ed25519", "application/octet-stream", "openssh-inside", "secret:private_key" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_secret_attachment_is_withheld_noted_with_its_kind_and_the_customer_told_to_move_funds(string name, string type, string sample, string expected)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var phrase = Phrase();
        var content = sample switch
        {
            "phrase" => Utf8($"My backup, written down when I made the wallet:\n{phrase}\n"),
            "phrase-utf16" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes($"backup\r\n{phrase}\r\n")],
            "phrase-html" => Utf8($"<html><body><p>Words:</p><ol>{string.Concat(phrase.Split(' ').Select(w => $"<li><span>{w}</span></li>"))}</ol></body></html>"),
            "keystore" => Utf8(Keystore()),
            "berkeley-db" => BerkeleyDbWallet(),
            "pem-inside" => Utf8("Keep this safe.\n\n" + PemBlock("EC PRIVATE KEY") + "\nThanks"),
            "openssh-inside" => Utf8(PemBlock("OPENSSH PRIVATE KEY")),
            _ => System.Security.Cryptography.RandomNumberGenerator.GetBytes(300),
        };

        var outcome = await PostAsync(client, Parsed(
            "My wallet was emptied last night. The backup file is attached.",
            subject: "Wallet emptied",
            attachments: [new(name, type, content), new("statement.pdf", "application/pdf", "%PDF-1.4 statement"u8.ToArray())]));

        var ticket = await TicketAsync(host, outcome.TicketId);
        var notes = Assert.Single(await InboundAsync(host, ticket.Id)).Details!.Attachments;
        Assert.Equal((name, expected, (string?)null), (notes[0].Name, notes[0].Refused, notes[0].Blob));
        Assert.Equal(content.Length, notes[0].Size);
        Assert.Null(notes[1].Refused);
        Assert.Equal([$"{ticket.Id}/{notes[1].Blob}"], await BlobNamesAsync(host));
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        Assert.Equal(1, ticket.Redactions[expected["secret:".Length..]]);
        Assert.Contains(MoveFunds, (await MailToAsync(host, ticket.Id)).Text, StringComparison.Ordinal);
        await AssertNowhereStoredAsync(host, phrase);
    }

    [Fact]
    public async Task An_attached_message_holding_a_phrase_in_its_body_or_in_its_own_attachment_is_withheld()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var inBody = Phrase();
        var inNested = Phrase();

        var outcome = await PostAsync(client, Raw($"""
            From: "Bob Li" <bob@customer.example>
            To: {Support}
            Subject: Fwd: what the "support agent" asked me for
            Message-ID: <fwd-1@customer.example>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: text/plain; charset=utf-8

            I sent these to someone who said he was from your support. Now my funds are gone.
            --outer
            Content-Type: message/rfc822

            From: bob@customer.example
            To: agent@fake-support.example
            Subject: my words
            Message-ID: <sent-1@customer.example>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Here they are: {inBody}
            --outer
            Content-Type: message/rfc822; name="backup.eml"
            Content-Disposition: attachment; filename="backup.eml"

            From: bob@customer.example
            To: agent@fake-support.example
            Subject: the file
            Message-ID: <sent-2@customer.example>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="inner"

            --inner
            Content-Type: text/plain

            attached
            --inner
            Content-Type: application/octet-stream; name="words.txt"
            Content-Disposition: attachment; filename="words.txt"
            Content-Transfer-Encoding: base64

            {Convert.ToBase64String(Utf8(inNested))}
            --inner--
            --outer
            Content-Type: image/png; name="screen.png"
            Content-Disposition: attachment; filename="screen.png"
            Content-Transfer-Encoding: base64

            {Convert.ToBase64String([137, 80, 78, 71, 13, 10, 26, 10])}
            --outer--
            """, envelopeFrom: "bob@customer.example"));

        var ticket = await TicketAsync(host, outcome.TicketId);
        var notes = Assert.Single(await InboundAsync(host, ticket.Id)).Details!.Attachments;
        Assert.Equal(["my words.eml", "backup.eml", "screen.png"], notes.Select(n => n.Name));
        Assert.Equal(["secret:mnemonic", "secret:mnemonic", null], notes.Select(n => n.Refused));
        Assert.Equal([$"{ticket.Id}/{notes[2].Blob}"], await BlobNamesAsync(host));
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        Assert.Equal(2, ticket.Redactions["mnemonic"]);
        Assert.Contains(MoveFunds, (await MailToAsync(host, ticket.Id)).Text, StringComparison.Ordinal);
        await AssertNowhereStoredAsync(host, inBody);
        await AssertNowhereStoredAsync(host, inNested);
    }

    [Fact]
    public async Task A_phrase_as_a_file_name_or_an_attached_messages_subject_is_redacted_and_the_file_withheld()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var asFileName = Phrase();
        var asSubject = Phrase();

        var outcome = await PostAsync(client, Raw($"""
            From: carol@customer.example
            To: {Support}
            Subject: files
            Message-ID: <names-1@customer.example>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: text/plain; charset=utf-8

            See the attachments.
            --outer
            Content-Type: image/png; name="{asFileName}.png"
            Content-Disposition: attachment; filename="{asFileName}.png"
            Content-Transfer-Encoding: base64

            {Convert.ToBase64String([137, 80, 78, 71, 13, 10, 26, 10])}
            --outer
            Content-Type: message/rfc822

            From: carol@customer.example
            To: carol@customer.example
            Subject: {asSubject}
            MIME-Version: 1.0
            Content-Type: text/plain

            note to self
            --outer--
            """, envelopeFrom: "carol@customer.example"));

        var ticket = await TicketAsync(host, outcome.TicketId);
        var notes = Assert.Single(await InboundAsync(host, ticket.Id)).Details!.Attachments;
        Assert.Equal(["secret:mnemonic", "secret:mnemonic"], notes.Select(n => n.Refused));
        Assert.All(notes, note => Assert.Contains("[REDACTED:mnemonic]", note.Name, StringComparison.Ordinal));
        Assert.Empty(await BlobNamesAsync(host));
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
        Assert.Contains(MoveFunds, (await MailToAsync(host, ticket.Id)).Text, StringComparison.Ordinal);
        await AssertNowhereStoredAsync(host, asFileName);
        await AssertNowhereStoredAsync(host, asSubject);
    }

    [Fact]
    public async Task A_follow_up_whose_attachment_holds_a_secret_raises_its_ticket_to_urgent_and_flags_it()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var first = await PostAsync(client, Parsed("How do I export my trade history?", subject: "Export", messageId: "<calm-1@customer.example>"));
        Assert.NotEqual(Urgency.Urgent, (await TicketAsync(host, first.TicketId)).Urgency);
        var phrase = Phrase();

        var reply = await PostAsync(client, Parsed(
            "Also, is this file safe to keep?", subject: "Re: Export", messageId: "<calm-2@customer.example>",
            extraHeaders: ["In-Reply-To: <calm-1@customer.example>"],
            attachments: [new("recovery.txt", "text/plain", Utf8(phrase))]));

        Assert.Equal(("joined", first.TicketId), (reply.Status, reply.TicketId));
        var ticket = await TicketAsync(host, first.TicketId);
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        Assert.Equal(1, ticket.Redactions["mnemonic"]);
        Assert.Equal("secret:mnemonic", Assert.Single((await InboundAsync(host, ticket.Id))[1].Details!.Attachments).Refused);
        Assert.Empty(await BlobNamesAsync(host));
        await AssertNowhereStoredAsync(host, phrase);
    }

    [Fact]
    public async Task A_text_attachment_too_large_to_scan_is_withheld_but_ordinary_files_are_kept()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var line = "2026-11-01 10:00,BTC/USDT,buy,0.01,60000.5,filled\n"u8.ToArray();
        var huge = new byte[(5 * 1024 * 1024) + 1];
        for (var i = 0; i < huge.Length; i++)
        {
            huge[i] = line[i % line.Length];
        }

        var small = Utf8("date,pair,side\n2026-11-01,BTC/USDT,buy\n");

        var outcome = await PostAsync(client, Parsed(
            "My trade history is attached.",
            attachments: [new("all-trades.csv", "text/csv", huge), new("last-week.csv", "text/csv", small), new("photo.jpg", "image/jpeg", [0xFF, 0xD8, 0xFF, 0xE0])]));

        var ticket = await TicketAsync(host, outcome.TicketId);
        var notes = Assert.Single(await InboundAsync(host, ticket.Id)).Details!.Attachments;
        Assert.Equal(["too_large_to_scan", null, null], notes.Select(n => n.Refused));
        Assert.Equal(small, await BlobAsync(host, ticket.Id, notes[1].Blob!));
        Assert.Equal(2, (await BlobNamesAsync(host)).Count);
        Assert.DoesNotContain(TriageFlags.SecretExposed, ticket.Flags);
    }
}
