using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Chorus.BrowserTests;

/// <summary>
/// axe-core (bundled in Deque.AxeCore.Playwright, nothing is downloaded) against the page as it is now, with the
/// WCAG 2.0 and 2.1 A and AA rules.
/// </summary>
public static class Accessibility
{
    private static readonly List<string> WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    public static async Task AssertAccessibleAsync(this IPage page, string what)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = WcagTags },
            ResultTypes = [ResultType.Violations],
        });
        Assert.True(result.Violations.Length == 0, $"{what} has accessibility violations:\n{Describe(result.Violations)}");
    }

    private static string Describe(AxeResultItem[] violations)
    {
        var text = new StringBuilder();
        foreach (var violation in violations)
        {
            text.Append("- ").Append(violation.Id).Append(" (").Append(violation.Impact).Append("): ").AppendLine(violation.Help);
            foreach (var node in violation.Nodes)
            {
                text.Append("    ").Append(node.Target).Append("  ").AppendLine(node.Html);
            }
        }

        return text.ToString();
    }
}
