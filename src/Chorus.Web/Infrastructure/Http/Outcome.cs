using Microsoft.AspNetCore.Http.HttpResults;

namespace Chorus.Infrastructure.Http;

public enum FailureKind
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,

    /// <summary>Well-formed, but breaks rules of the domain (a script with errors, a launch with problems): 422.</summary>
    Unprocessable,
}

/// <summary>One problem in a request that breaks domain rules; positions are 1-based where the input is text.</summary>
public sealed record Problem(string Message, string? Field = null, int? Line = null, int? Column = null);

/// <summary>An expected failure of a use case: bad input, a missing thing, a broken rule. Never an exception.</summary>
public sealed record Failure(FailureKind Kind, string Message, IReadOnlyDictionary<string, string[]>? Errors = null, IReadOnlyList<Problem>? Problems = null)
{
    public static Failure Unprocessable(string message, IReadOnlyList<Problem> problems) => new(FailureKind.Unprocessable, message, Problems: problems);

    public static Failure Invalid(string message, string? field = null) =>
        new(FailureKind.Invalid, message, field is null ? null : new Dictionary<string, string[]> { [field] = [message] });

    public static Failure NotFound(string what) => new(FailureKind.NotFound, $"{what} was not found.");

    public static Failure Conflict(string message) => new(FailureKind.Conflict, message);

    public static Failure Forbidden(string message) => new(FailureKind.Forbidden, message);

    /// <summary>The failure as RFC 9457 problem details; field errors travel in <c>errors</c>, domain problems in <c>problems</c>.</summary>
    public ProblemHttpResult ToProblem() => Kind switch
    {
        FailureKind.Invalid when Errors is not null => TypedResults.Problem(new HttpValidationProblemDetails(Errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
            Detail = Message,
        }),
        FailureKind.Invalid => TypedResults.Problem(Message, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid."),
        FailureKind.NotFound => TypedResults.Problem(Message, statusCode: StatusCodes.Status404NotFound, title: "Not found."),
        FailureKind.Conflict => TypedResults.Problem(Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict."),
        FailureKind.Unprocessable => TypedResults.Problem(Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The request breaks one or more rules.",
            extensions: new Dictionary<string, object?> { ["problems"] = Problems ?? [] }),
        _ => TypedResults.Problem(Message, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed."),
    };
}

/// <summary>Either a value or a <see cref="Failure"/>.</summary>
public readonly record struct Outcome<T>
{
    internal Outcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }
    public Failure? Failure { get; }
    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}

public static class OutcomeResults
{
    /// <summary>A success, for values the implicit conversion can't take (interfaces such as <c>IQueryable&lt;T&gt;</c>).</summary>
    public static Outcome<T> Success<T>(T value) => new(value, null);

    /// <summary>200 with the value, or the failure as problem details.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(outcome.Value!);
}
