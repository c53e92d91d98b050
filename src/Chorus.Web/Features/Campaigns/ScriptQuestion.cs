using System.Text.Json;

namespace Chorus.Features.Campaigns;

/// <summary>
/// A survey question in a script: the texter records one of its answers; each answer carries the follow-up message
/// to send and, optionally, the next question. <see cref="Id"/> is the <c>stepId</c> survey answers refer to.
/// </summary>
public sealed record ScriptQuestion(Guid Id, string Text, IReadOnlyList<ScriptAnswer> Answers)
{
    public const int MaxTextLength = 500;
    public const int MaxAnswers = 20;
    public const int MaxDepth = 10;
    public const int MaxQuestions = 200;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ScriptQuestion? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<ScriptQuestion>(json, Json);

    /// <summary>The same tree with fresh question ids (for a copied campaign).</summary>
    public ScriptQuestion WithNewIds() =>
        this with { Id = Guid.CreateVersion7(), Answers = [.. Answers.Select(a => a with { Question = a.Question?.WithNewIds() })] };

    /// <summary>Every question in the tree, depth first, root first.</summary>
    public IEnumerable<ScriptQuestion> Flatten()
    {
        yield return this;
        foreach (var next in Answers.Select(a => a.Question).OfType<ScriptQuestion>())
        {
            foreach (var question in next.Flatten())
            {
                yield return question;
            }
        }
    }
}

public sealed record ScriptAnswer(string Value, string Message, ScriptQuestion? Question)
{
    public const int MaxValueLength = 100;
}
