namespace Intake.Tests.Fakes;

/// <summary>
/// The fakes of every chat provider at once (Telegram, Meta's Graph API, X), for tests that turn every channel on:
/// started together, their settings merged into one set, disposed together.
/// </summary>
internal sealed class ChannelFakes : IAsyncDisposable
{
    public FakeTelegram Telegram { get; } = new();

    public FakeGraph Graph { get; } = new();

    public FakeX X { get; } = new();

    /// <summary>How many requests the providers received, all together.</summary>
    public int RequestCount => Telegram.Requests.Count + Graph.Requests.Count + X.Requests.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Telegram.StartAsync(cancellationToken);
        await Graph.StartAsync(cancellationToken);
        await X.StartAsync(cancellationToken);
    }

    /// <summary>Settings that turn every chat channel on with these secrets and point it at its fake, added to <paramref name="into"/>.</summary>
    public Dictionary<string, string> Settings(string telegramSecret, string metaAppSecret, string metaVerifyToken, string xConsumerSecret, Dictionary<string, string>? into = null)
    {
        var settings = into ?? [];
        foreach (var part in new[] { Telegram.Settings(telegramSecret), Graph.Settings(metaAppSecret, metaVerifyToken), X.Settings(xConsumerSecret) })
        {
            foreach (var (key, value) in part)
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        await Telegram.DisposeAsync();
        await Graph.DisposeAsync();
        await X.DisposeAsync();
    }
}
