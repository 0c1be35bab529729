using Tuntas.Targeting.Snapshot;

namespace Tuntas.Targeting.Rules;

/// <summary>
/// A value in a rule or model: a number, a text, a field, arithmetic, an aggregate over the members, or a condition
/// used as a 0/1 value (a dummy variable in the regression PMT). Missing data is NaN and propagates: an expression
/// over an unknown value is unknown, never silently 0.
/// </summary>
public abstract record ValueNode;

public sealed record NumberNode(double Value) : ValueNode;

public sealed record TextNode(string Value) : ValueNode;

public sealed record FieldNode(TargetingField Field) : ValueNode;

/// <summary><c>+ - * /</c>. Division by zero at evaluation time gives an unknown value for that family.</summary>
public sealed record ArithmeticNode(string Operator, IReadOnlyList<ValueNode> Operands) : ValueNode;

/// <summary>
/// <c>count</c>, <c>sum</c>, <c>min</c> or <c>max</c> over a family's members (optionally those satisfying
/// <see cref="Where"/>). Unknown when a member's value or condition is unknown, so "count(hamil) ≥ 1" is never claimed
/// from partial data; use <see cref="MembersNode"/> (anyMember) for Kleene "at least one".
/// </summary>
public sealed record AggregateNode(string Function, ValueNode? Value, ConditionNode? Where) : ValueNode;

public sealed record ConditionValueNode(ConditionNode Condition) : ValueNode;

/// <summary>
/// A condition with three outcomes: true, false or unknown (missing data). <c>all</c>/<c>any</c>/<c>not</c> follow
/// Kleene's three-valued logic: <c>any</c> is true as soon as one part is true, even when others are unknown.
/// </summary>
public abstract record ConditionNode;

public sealed record ConstantNode(bool Value) : ConditionNode;

public sealed record AllNode(IReadOnlyList<ConditionNode> Items) : ConditionNode;

public sealed record AnyNode(IReadOnlyList<ConditionNode> Items) : ConditionNode;

public sealed record NotNode(ConditionNode Item) : ConditionNode;

/// <summary><c>&lt; &lt;= &gt; &gt;= = !=</c>.</summary>
public sealed record CompareNode(string Operator, ValueNode Left, ValueNode Right) : ConditionNode;

public sealed record InNode(ValueNode Value, IReadOnlyList<ValueNode> Options) : ConditionNode;

/// <summary>True when the value is known (not missing); never unknown itself.</summary>
public sealed record KnownNode(ValueNode Value) : ConditionNode;

/// <summary><c>anyMember</c> (at least one member satisfies) or <c>allMembers</c>, with three-valued logic.</summary>
public sealed record MembersNode(bool All, ConditionNode Condition) : ConditionNode;

/// <summary>The family is eligible for another program in the same run (cycles are refused on save).</summary>
public sealed record EligibleNode(string ProgramCode) : ConditionNode;
