using System.ComponentModel.DataAnnotations;

namespace Intake.Surveys;

/// <summary>The <c>Surveys</c> section: the key that signs survey tokens, how long a survey can be answered, how long a comment may be.</summary>
public sealed class SurveyOptions
{
    public const string Section = "Surveys";

    /// <summary>
    /// Signs survey tokens (HMAC-SHA256), at least 32 characters. Unset: a key derived from <c>Intake:SigningKey</c>;
    /// with neither, Development makes one at start-up (tokens last until restart).
    /// </summary>
    [MinLength(32)]
    public string? SigningKey { get; set; }

    /// <summary>How long after it was sent a survey can be answered (DESIGN §8: 7 days).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan Validity { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The longest comment kept; a longer one is cut.</summary>
    [Range(1, 10_000)]
    public int MaxCommentLength { get; set; } = 1000;
}
