using System.Text;
using Intake.Surveys;
using Intake.Tickets;

namespace Intake.Tests.Surveys;

public sealed class SurveyTokensTests
{
    private static readonly SurveyTokens Tokens = new(Encoding.UTF8.GetBytes("survey-signing-key-of-at-least-32-chars"));
    private static readonly string TicketId = TicketIds.NewId(TimeProvider.System);
    private static readonly DateTimeOffset SentAt = new(2026, 3, 1, 10, 30, 15, TimeSpan.Zero);

    [Fact]
    public void A_token_reads_back_as_the_ticket_send_time_and_score()
    {
        var token = Tokens.Create(TicketId, SentAt, 4);

        var read = Tokens.Read(token);

        Assert.Equal(new SurveyToken(TicketId, SentAt, 4), read);
        Assert.Equal("20260301", read!.Day);
    }

    [Fact]
    public void A_link_token_carries_no_score()
    {
        Assert.Equal(0, Tokens.Read(Tokens.Create(TicketId, SentAt))!.Score);
    }

    [Fact]
    public void Every_token_fits_telegram_callback_data_and_a_path_segment()
    {
        for (var score = 0; score <= 5; score++)
        {
            var token = Tokens.Create(TicketId, SentAt, score);
            Assert.True(Encoding.UTF8.GetByteCount(token) <= 64, token.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(token, Uri.EscapeDataString(token));
        }
    }

    [Fact]
    public void A_token_changed_anywhere_is_refused()
    {
        var token = Tokens.Create(TicketId, SentAt, 5);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '.')
            {
                continue;
            }

            var changed = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.Null(Tokens.Read(changed));
        }
    }

    [Fact]
    public void A_higher_score_cannot_be_put_on_a_signed_token()
    {
        var parts = Tokens.Create(TicketId, SentAt, 1).Split('.');
        parts[2] = "5";

        Assert.Null(Tokens.Read(string.Join('.', parts)));
    }

    [Fact]
    public void A_token_signed_with_another_key_is_refused()
    {
        var other = new SurveyTokens(Encoding.UTF8.GetBytes("another-key-another-key-another-key!!"));

        Assert.Null(Tokens.Read(other.Create(TicketId, SentAt, 3)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("survey:5")]
    [InlineData("a.b.c.d")]
    [InlineData("01JNZ7Q3V2K8M4P6R9T0ABCDEF.0.9.AAAAAAAAAAAAAAAA")]
    public void Malformed_tokens_are_refused(string? token)
    {
        Assert.Null(Tokens.Read(token));
    }

    [Fact]
    public void The_key_derived_from_the_intake_key_is_not_the_intake_key()
    {
        var key = "intake-signing-key-of-at-least-32-characters";

        Assert.NotEqual(Encoding.UTF8.GetBytes(key), SurveyTokens.DeriveKey(key));
        Assert.Equal(32, SurveyTokens.DeriveKey(key).Length);
    }
}
