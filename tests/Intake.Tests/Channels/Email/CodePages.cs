using System.Runtime.CompilerServices;
using Intake.Channels.Email;

namespace Intake.Tests.Channels.Email;

internal static class CodePages
{
    /// <summary>
    /// MimeKit learns which charsets exist the first time it is used; the server registers the code pages at start-up
    /// (<c>AddEmailChannel</c>), before any mail is read. Tests that use MimeKit without a server must find them too.
    /// </summary>
    [ModuleInitializer]
    internal static void Register() => EmailCharsets.Register();
}
