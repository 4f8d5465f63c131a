using Intake.Tests.Integration;
using static Intake.Tests.Channels.Email.InboundParsePosts;
using static Intake.Tests.Security.MailIntakeProbe;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a mail that reuses a known Message-ID is a duplicate of the message stored under it, yet its attachments went
/// to that ticket's folder under the same names, overwriting the customer's evidence (a statement, a screenshot of a
/// transfer) with whatever the sender chose. A duplicate never changes what is stored: it may only upload a blob the
/// stored message names, that is missing, and whose content has the SHA-256 the message recorded (a redelivery after a
/// crash between the ticket and its uploads), and never over an existing blob.
/// </summary>
public sealed class DuplicateAttachmentTests(AzuriteFixture azurite)
{
    private static readonly byte[] Statement = "%PDF-1.4 the customer's statement: withdrawal W123456, 2 BTC"u8.ToArray();
    private static readonly byte[] Forged = "%PDF-1.4 a forged statement: withdrawal W999999, 0 BTC"u8.ToArray();

    [Fact]
    public async Task A_mail_reusing_a_known_message_id_never_overwrites_the_stored_attachment()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var first = await PostAsync(client, Parsed("My withdrawal is missing; the statement is attached.", messageId: "<evidence-1@customer.example>",
            attachments: [new("statement.pdf", "application/pdf", Statement)]));
        var note = Assert.Single(Assert.Single(await InboundAsync(host, first.TicketId)).Details!.Attachments);

        var second = await PostAsync(client, Parsed("My withdrawal is missing; the statement is attached.", messageId: "<evidence-1@customer.example>",
            from: "Mallory <mallory@attacker.example>", envelopeFrom: "mallory@attacker.example", dkim: "{@attacker.example : pass}",
            attachments: [new("statement.pdf", "application/pdf", Forged), new("extra.pdf", "application/pdf", Forged)]));

        Assert.Equal(("duplicate", first.TicketId), (second.Status, second.TicketId));
        Assert.Equal(Statement, await BlobAsync(host, first.TicketId, note.Blob!));
        Assert.Equal([$"{first.TicketId}/{note.Blob}"], await BlobNamesAsync(host));
    }

    [Fact]
    public async Task A_mail_reusing_a_message_id_of_another_ticket_uploads_nothing_to_either()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var victim = await PostAsync(client, Parsed("The statement is attached.", messageId: "<evidence-2@customer.example>",
            attachments: [new("statement.pdf", "application/pdf", Statement)]));
        var attacker = await PostAsync(client, Parsed("Hello", from: "mallory@attacker.example", messageId: "<m-1@attacker.example>",
            envelopeFrom: "mallory@attacker.example", dkim: "{@attacker.example : pass}"));
        var ack = await MailToAsync(host, attacker.TicketId);

        // A verified reply to the attacker's own ticket, carrying the victim's Message-ID.
        var reused = await PostAsync(client, Parsed("More", from: "mallory@attacker.example", messageId: "<evidence-2@customer.example>",
            envelopeFrom: "mallory@attacker.example", dkim: "{@attacker.example : pass}", extraHeaders: [$"In-Reply-To: {ack.MailHeader("Message-ID")}"],
            attachments: [new("statement.pdf", "application/pdf", Forged)]));

        Assert.Equal("duplicate", reused.Status);
        var note = Assert.Single(Assert.Single(await InboundAsync(host, victim.TicketId)).Details!.Attachments);
        Assert.Equal(Statement, await BlobAsync(host, victim.TicketId, note.Blob!));
        Assert.Equal([$"{victim.TicketId}/{note.Blob}"], await BlobNamesAsync(host));
    }

    [Fact]
    public async Task A_redelivery_after_the_uploads_were_lost_finishes_them_but_a_different_file_under_the_same_id_is_not_stored()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);
        var first = await PostAsync(client, Parsed("The statement and a screenshot are attached.", messageId: "<evidence-3@customer.example>",
            attachments: [new("statement.pdf", "application/pdf", Statement), new("screen.png", "image/png", [137, 80, 78, 71, 1, 2, 3])]));
        var notes = Assert.Single(await InboundAsync(host, first.TicketId)).Details!.Attachments;

        // As after a crash between writing the ticket and uploading its attachments: the message is stored, the blobs are not.
        foreach (var note in notes)
        {
            await Container(host).DeleteBlobAsync($"{first.TicketId}/{note.Blob}", cancellationToken: TestContext.Current.CancellationToken);
        }

        var forgedRetry = await PostAsync(client, Parsed("The statement and a screenshot are attached.", messageId: "<evidence-3@customer.example>",
            attachments: [new("statement.pdf", "application/pdf", Forged), new("screen.png", "image/png", [137, 80, 78, 71, 9, 9, 9])]));
        Assert.Equal("duplicate", forgedRetry.Status);
        Assert.Empty(await BlobNamesAsync(host));

        var genuineRetry = await PostAsync(client, Parsed("The statement and a screenshot are attached.", messageId: "<evidence-3@customer.example>",
            attachments: [new("statement.pdf", "application/pdf", Statement), new("screen.png", "image/png", [137, 80, 78, 71, 1, 2, 3])]));

        Assert.Equal("duplicate", genuineRetry.Status);
        Assert.Equal(Statement, await BlobAsync(host, first.TicketId, notes[0].Blob!));
        Assert.Equal([137, 80, 78, 71, 1, 2, 3], await BlobAsync(host, first.TicketId, notes[1].Blob!));
    }
}
