using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Intake.Tests.Web.Pages;

/// <summary>Waiting for the page a form submission leads to.</summary>
internal static class Navigation
{
    /// <summary>
    /// Waits until the page is at <paramref name="url"/> and its document is parsed. Not for the load event: on a loaded
    /// CI machine the client once saw the status page's URL and its network go idle but never its load event, and the
    /// test timed out on a page that was there. These pages have no subresources, so a parsed document is a loaded one.
    /// </summary>
    public static async Task WaitForDocumentAsync(this IPage page, Regex url)
    {
        await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync("document.readyState !== 'loading'", null, new() { PollingInterval = 50 });
    }
}
