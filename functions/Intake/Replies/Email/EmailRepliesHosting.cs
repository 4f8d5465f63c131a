using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Replies.Email;

public static class EmailRepliesHosting
{
    /// <summary>How long one call to SendGrid may take before the send counts as failed and the queue retries it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Email replies through SendGrid: <see cref="SendGridOptions"/> from the <c>SendGrid</c> section (validated at
    /// start-up), the <c>SendGrid</c> named HttpClient, and the sender as one of the <see cref="IReplySender"/>s.
    /// </summary>
    public static IHostApplicationBuilder AddEmailReplies(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SendGridOptions>()
            .BindConfiguration(SendGridOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Redact every header value in HttpClient logs, whatever the framework's default, so the bearer key never appears.
        builder.Services.AddHttpClient(EmailReplySender.HttpClientName, client => client.Timeout = Timeout)
            .RedactLoggedHeaders(_ => true);

        builder.Services.AddSingleton<IReplySender, EmailReplySender>();
        return builder;
    }
}
