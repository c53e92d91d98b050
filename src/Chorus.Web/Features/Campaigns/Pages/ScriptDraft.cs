namespace Chorus.Features.Campaigns.Pages;

/// <summary>
/// The survey tree as the script editor changes it. Question ids from <see cref="GetScript"/> travel back to
/// <see cref="SaveScript"/> untouched, so a saved step keeps its id (survey answers are recorded against it).
/// </summary>
public sealed class QuestionDraft
{
    public Guid? Id { get; init; }
    public string Text { get; set; } = "";
    public List<AnswerDraft> Answers { get; } = [];

    public static QuestionDraft New() => new() { Answers = { new AnswerDraft(), new AnswerDraft() } };

    public static QuestionDraft From(ScriptQuestion question)
    {
        var draft = new QuestionDraft { Id = question.Id, Text = question.Text };
        draft.Answers.AddRange(question.Answers.Select(a => new AnswerDraft
        {
            Value = a.Value,
            Message = a.Message,
            Question = a.Question is null ? null : From(a.Question),
        }));
        return draft;
    }

    public SaveScript.QuestionRequest ToRequest() =>
        new(Id, Text, [.. Answers.Select(a => new SaveScript.AnswerRequest(a.Value, a.Message, a.Question?.ToRequest()))]);
}

public sealed class AnswerDraft
{
    public string Value { get; set; } = "";
    public string Message { get; set; } = "";
    public QuestionDraft? Question { get; set; }
}
