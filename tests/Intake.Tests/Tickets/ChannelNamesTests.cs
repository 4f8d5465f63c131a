using Intake.Tickets;

namespace Intake.Tests.Tickets;

/// <summary>The channels' names are stored in tables and sent in queue messages and the API: pinned as they were.</summary>
public class ChannelNamesTests
{
    [Fact]
    public void The_channel_names_are_the_strings_already_stored()
    {
        Assert.Equal(
            ["email", "telegram", "web", "messenger", "instagram", "whatsapp", "x"],
            [ChannelNames.Email, ChannelNames.Telegram, ChannelNames.Web, ChannelNames.Messenger, ChannelNames.Instagram, ChannelNames.WhatsApp, ChannelNames.X]);
    }

    [Fact]
    public void All_holds_every_channel_name_and_nothing_else()
    {
        Assert.Equal(
            ["email", "instagram", "messenger", "telegram", "web", "whatsapp", "x"],
            ChannelNames.All.Order(StringComparer.Ordinal));
    }
}
