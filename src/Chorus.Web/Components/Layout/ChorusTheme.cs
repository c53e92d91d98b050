using MudBlazor;

namespace Chorus.Components.Layout;

/// <summary>
/// The one theme. Static account pages can't run MudBlazor's inputs, so wwwroot/app.css styles their plain inputs
/// with the CSS variables MudThemeProvider emits from this theme; change colors here, not in the CSS.
/// </summary>
public static class ChorusTheme
{
    public const string PrimaryColor = "#0f6b5f";

    // The system font stack: no web fonts to fetch, and each platform gets its own well-hinted UI face.
    private static readonly string[] FontStack =
        ["-apple-system", "BlinkMacSystemFont", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "Noto Sans", "Liberation Sans", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = PrimaryColor,
            PrimaryDarken = "#0a5249",
            PrimaryLighten = "#e3f1ee",
            Secondary = "#5b4bc4",
            Tertiary = "#c2410c",
            Info = "#2563eb",
            Success = "#15803d",
            Warning = "#b45309",
            Error = "#c62828",
            TextPrimary = "#1d2733",
            TextSecondary = "#5b6675",
            Background = "#f5f7f8",
            Surface = "#ffffff",
            AppbarBackground = "#ffffff",
            AppbarText = "#1d2733",
            DrawerBackground = "#ffffff",
            DrawerText = "#1d2733",
            DrawerIcon = "#5b6675",
            LinesDefault = "#e3e7eb",
            TableLines = "#e9edf0",
            Divider = "#e3e7eb",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontStack, LetterSpacing = "normal" },
            H4 = new H4Typography { FontFamily = FontStack, FontSize = "1.75rem", FontWeight = "600", LineHeight = "1.25", LetterSpacing = "-0.01em" },
            H5 = new H5Typography { FontFamily = FontStack, FontSize = "1.375rem", FontWeight = "600", LineHeight = "1.3", LetterSpacing = "normal" },
            H6 = new H6Typography { FontFamily = FontStack, FontSize = "1.125rem", FontWeight = "600", LineHeight = "1.4", LetterSpacing = "normal" },
            Button = new ButtonTypography { FontFamily = FontStack, FontWeight = "600", TextTransform = "none", LetterSpacing = "normal" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px", AppbarHeight = "60px" },
    };
}
