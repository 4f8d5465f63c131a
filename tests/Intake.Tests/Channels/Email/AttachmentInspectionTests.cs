using System.Text;
using Intake.Channels.Email;
using Intake.Triage;
using static Intake.Tests.Security.MailSecretSamples;

namespace Intake.Tests.Channels.Email;

public sealed class AttachmentInspectionTests
{
    private static readonly TriageEngine Triage = TriageEngine.Default;

    private static string? Verdict(string name, string type, byte[] content, string? charset = null) =>
        AttachmentInspection.Inspect(name, type, charset, content, Triage, new ScanBudget()).Refused;

    [Theory]
    [InlineData("gb2312")]
    [InlineData("gbk")]
    [InlineData("utf-8")]
    public void A_chinese_phrase_is_found_in_the_charset_the_file_declares(string charset)
    {
        var phrase = Phrase("chinese_simplified");

        Assert.Equal("secret:mnemonic", Verdict("备份.txt", "text/plain", Charset(charset).GetBytes($"助记词：{phrase}"), charset));
    }

    [Fact]
    public void Utf16_without_a_byte_order_mark_is_read_as_utf16()
    {
        Assert.Equal("secret:mnemonic", Verdict("seed.txt", "text/plain", Encoding.Unicode.GetBytes("words: " + Phrase())));
        Assert.Equal("secret:mnemonic", Verdict("seed.txt", "text/plain", Encoding.BigEndianUnicode.GetBytes("words: " + Phrase())));
    }

    [Fact]
    public void Latin1_text_that_is_not_utf8_is_still_read()
    {
        Assert.Equal("secret:mnemonic", Verdict("notes.txt", "text/plain", Encoding.Latin1.GetBytes($"Sécurité – mots : {Phrase()} ©")));
    }

    [Fact]
    public void A_phrase_across_the_cut_between_two_slices_is_found()
    {
        var phrase = Phrase();
        var filler = new StringBuilder();
        while (filler.Length < (64 * 1024) - (phrase.Length / 2))
        {
            filler.Append("2026-11-01,BTC/USDT,buy,0.01\n");
        }

        // The phrase on its own line: cut anywhere in a CSV field, the filler would otherwise glue its first word to a
        // stray "BTC" or "buy" (a random phrase's length decides where), and a glued word is not a word of the list.
        Assert.Equal("secret:mnemonic", Verdict("history.csv", "text/csv", Encoding.UTF8.GetBytes(filler.ToString()[..((64 * 1024) - (phrase.Length / 2) - 1)] + "\n" + phrase + "\nend")));
    }

    [Theory]
    [InlineData("""{"address":"ab","Crypto":{"cipher":"aes-128-ctr","ciphertext":"00","kdf":"pbkdf2"}}""")]
    [InlineData("""{"seed_version": 52, "wallet_type": "standard", "keystore": {"type": "bip32"}}""")]
    [InlineData("QklFMQNmOjI1NjQ0NDg4OTk5MDAxMTIyMzM0NDU1NjY3Nzg4OTk=")]
    [InlineData("""{"data":"AbCdEf==","iv":"123==","salt":"xyz="}""")]
    [InlineData("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n")]
    [InlineData("notes\n-----BEGIN PGP PRIVATE KEY BLOCK-----\nabc\n-----END PGP PRIVATE KEY BLOCK-----\n")]
    public void Known_wallet_and_key_files_are_recognised_by_content_whatever_their_name(string content)
    {
        Assert.Equal("secret:private_key", Verdict("data.txt", "text/plain", Encoding.UTF8.GetBytes(content)));
    }

    [Fact]
    public void A_solana_key_pair_of_64_numbers_is_a_private_key_but_other_number_lists_are_not()
    {
        var pair = "[" + string.Join(',', Enumerable.Range(0, 64).Select(i => (i * 37) % 256)) + "]";
        var other = "[" + string.Join(',', Enumerable.Range(0, 63).Select(i => i)) + "]";

        Assert.Equal("secret:private_key", Verdict("id.json", "application/json", Encoding.UTF8.GetBytes(pair)));
        Assert.Null(Verdict("list.json", "application/json", Encoding.UTF8.GetBytes(other)));
    }

    [Theory]
    [InlineData("statement.pdf", "application/pdf")]
    [InlineData("photo.jpg", "image/jpeg")]
    [InlineData("archive.zip", "application/zip")]
    public void Binary_types_are_not_read_as_text(string name, string type)
    {
        Assert.Null(Verdict(name, type, Encoding.UTF8.GetBytes("My recovery phrase: " + Phrase())));
    }

    [Theory]
    [InlineData("history.csv", "text/csv", "date,pair,side,amount\n2026-11-01,BTC/USDT,buy,0.5\n")]
    [InlineData("order.json", "application/json", """{"orderId":"12345678","status":"filled","apiKey":"public-id"}""")]
    [InlineData("page.html", "text/html", "<html><body><p>My withdrawal of 500 USDT is pending.</p></body></html>")]
    [InlineData("README", "application/octet-stream", "How do I enable 2FA on my account?\n")]
    public void Ordinary_text_files_are_kept(string name, string type, string content)
    {
        Assert.Null(Verdict(name, type, Encoding.UTF8.GetBytes(content)));
    }

    [Fact]
    public void A_one_time_code_alone_withholds_the_file_as_an_otp()
    {
        Assert.Equal("secret:otp", Verdict("code.txt", "text/plain", "My 2FA code is 482913"u8.ToArray()));
    }

    [Theory]
    [InlineData("notes.eml", "message/rfc822")]
    [InlineData("notes.eml", "application/octet-stream")]
    public void A_file_called_a_message_that_is_plain_text_is_still_read(string name, string type)
    {
        Assert.Equal("secret:mnemonic", Verdict(name, type, Encoding.UTF8.GetBytes(Phrase() + "\n")));
        Assert.Equal("secret:mnemonic", Verdict(name, type, Encoding.UTF8.GetBytes("My words: " + Phrase() + "\n")));
        Assert.Equal("secret:mnemonic", Verdict(name, type, Encoding.UTF8.GetBytes("Seed: " + Phrase() + "\n")));
        Assert.Equal("secret:mnemonic", Verdict(name, type, Encoding.UTF8.GetBytes("From: me\nX-Note: " + Phrase() + "\n\nhello\n")));
    }

    [Fact]
    public void A_text_starting_like_an_exodus_container_is_not_taken_for_one()
    {
        Assert.Null(Verdict("letter.txt", "text/plain", "SECOND REQUEST: my withdrawal is still pending."u8.ToArray()));
    }

    [Fact]
    public void Messages_nested_deeper_than_three_levels_are_not_opened_and_withheld()
    {
        var message = "From: a@customer.example\r\nSubject: inner\r\nContent-Type: text/plain\r\n\r\nhello\r\n";
        for (var level = 0; level < 4; level++)
        {
            message = $"From: a@customer.example\r\nSubject: level {level}\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n{message}";
        }

        Assert.Equal("too_deep_to_scan", Verdict("fwd.eml", "message/rfc822", Encoding.UTF8.GetBytes(message)));
    }

    [Fact]
    public void A_mails_scanning_stops_at_its_budget_and_what_is_left_is_withheld()
    {
        var budget = new ScanBudget(100);
        var text = new byte[80];
        Array.Fill(text, (byte)'a');

        Assert.Null(AttachmentInspection.Inspect("a.txt", "text/plain", null, text, Triage, budget).Refused);
        Assert.Equal("too_large_to_scan", AttachmentInspection.Inspect("b.txt", "text/plain", null, text, Triage, budget).Refused);
    }

    [Theory]
    [InlineData("_")]
    [InlineData("-")]
    [InlineData(" ")]
    public void A_phrase_in_a_file_name_is_redacted_however_its_words_are_joined(string separator)
    {
        var phrase = Phrase();

        var (name, found) = TextRedaction.RedactName(Triage, phrase.Replace(" ", separator, StringComparison.Ordinal) + ".txt", fileName: true, 200, "…");

        Assert.Equal([SecretKind.Mnemonic], found.Secrets);
        Assert.Equal("[REDACTED:mnemonic].txt", name);
    }

    [Fact]
    public void A_name_without_a_secret_is_left_as_it_is()
    {
        var (name, found) = TextRedaction.RedactName(Triage, "my_statement-2026.pdf", fileName: true, 200, "…");

        Assert.Equal(("my_statement-2026.pdf", 0), (name, found.Secrets.Count));
    }

    private static Encoding Charset(string name) => InboundParsePosts.Charset(name);
}
