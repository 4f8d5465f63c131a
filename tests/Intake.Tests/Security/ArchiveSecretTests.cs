using System.IO.Compression;
using System.Text;
using Intake.Channels.Email;
using Intake.Tests.Integration;
using Intake.Triage;
using static Intake.Tests.Channels.Email.InboundParsePosts;
using static Intake.Tests.Security.MailIntakeProbe;
using static Intake.Tests.Security.MailSecretSamples;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: the wallet backup a customer was talked into sending comes zipped — <c>backup.zip</c> holding
/// <c>wallet.dat</c>, a keystore, or <c>seed.txt</c> — and a zip is a binary file, so it was stored as sent. Control: a
/// zip archive's entries are inspected like attachments (key files by name and content, text read for secrets, archives
/// inside it up to the same depth), within the mail's scanning budget; one holding a secret withholds the archive. An
/// entry that cannot be read (encrypted, or past the budget) withholds the archive when it is text or a key file by name,
/// and a file that only claims to be a zip is judged as what it is.
/// </summary>
public sealed class ArchiveSecretTests(AzuriteFixture azurite)
{
    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    private static Inspection Inspect(string name, byte[] content, ScanBudget? budget = null) =>
        AttachmentInspection.Inspect(name, "application/zip", null, content, TriageEngine.Default, budget ?? new ScanBudget());

    [Fact]
    public void A_zip_holding_a_wallet_file_is_withheld()
    {
        var verdict = Inspect("backup.zip", Zip(("photos/cat.jpg", [0xFF, 0xD8, 0xFF, 0xE0]), ("Bitcoin/wallet.dat", BerkeleyDbWallet())));

        Assert.Equal("secret:private_key", verdict.Refused);
    }

    [Fact]
    public void A_zip_holding_a_phrase_in_a_text_file_is_withheld()
    {
        var verdict = Inspect("export.zip", Zip(("readme.txt", "nothing here"u8.ToArray()), ("words.txt", Encoding.UTF8.GetBytes("backup:\n" + Phrase()))));

        Assert.Equal("secret:mnemonic", verdict.Refused);
    }

    [Fact]
    public void A_zip_inside_a_zip_is_opened_too()
    {
        var inner = Zip(("keystore.json", Encoding.UTF8.GetBytes(Keystore())));

        var verdict = Inspect("outer.zip", Zip(("inner.zip", inner)));

        Assert.Equal("secret:private_key", verdict.Refused);
    }

    [Fact]
    public void A_zip_whose_text_cannot_be_read_in_the_budget_is_withheld_unread()
    {
        var verdict = Inspect("logs.zip", Zip(("app.log", Encoding.UTF8.GetBytes(new string('x', 200_000)))), new ScanBudget(1_000));

        Assert.Equal(AttachmentInspection.TooLargeToScan, verdict.Refused);
    }

    [Fact]
    public void An_ordinary_zip_is_kept_and_a_file_that_only_claims_to_be_one_is_judged_as_what_it_is()
    {
        Assert.Null(Inspect("statements.zip", Zip(("march.pdf", "%PDF-1.4 statement"u8.ToArray()), ("notes.txt", "call the bank on Monday"u8.ToArray()))).Refused);
        Assert.Null(Inspect("fake.zip", "PK but not really a zip"u8.ToArray()).Refused);
    }

    [Fact]
    public async Task A_zipped_wallet_sent_by_mail_is_not_stored_and_the_ticket_is_urgent()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = Client(host);

        var outcome = await PostAsync(client, Parsed(
            "Support asked me for my wallet backup, here it is.",
            subject: "Backup",
            attachments: [new("backup.zip", "application/zip", Zip(("wallet.dat", BerkeleyDbWallet())))]));

        var ticket = await TicketAsync(host, outcome.TicketId);
        var note = Assert.Single(Assert.Single(await InboundAsync(host, ticket.Id)).Details!.Attachments);
        Assert.Equal(("secret:private_key", (string?)null), (note.Refused, note.Blob));
        Assert.Empty(await BlobNamesAsync(host));
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
    }
}
