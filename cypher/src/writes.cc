// writes.cc: see writes.h.
#include "writes.h"

#include "error.h"
#include "eval.h"

namespace samverkan::cypher {
namespace {

using T = Value::Type;

Map PropsOf(const Expr* props, Row& row, ExecContext& ctx) {
  if (props == nullptr) return {};
  Value v = Eval(*props, row, ctx);
  if (v.is_null()) return {};
  if (v.type() != T::kMap) {
    TypeError("InvalidArgumentType", "properties must be a map", props->pos);
  }
  return v.map();
}

NodeId BoundNode(const Row& row, int slot, size_t pos) {
  const Value& v = row[static_cast<size_t>(slot)];
  if (v.type() == T::kNode) return v.node();
  if (v.is_null()) {
    SemanticError("CreateNullNode", "cannot create a relationship with a node that is null "
                  "(from an OPTIONAL MATCH?)", pos);
  }
  TypeError("InvalidArgumentType", "expected a node, not a " + std::string(TypeName(v.type())),
            pos);
}

// A map for SET n = / SET n +=: a map, or the properties of a node or
// relationship.
Map MapOf(const Value& v, ExecContext& ctx, size_t pos) {
  switch (v.type()) {
    case T::kMap: return v.map();
    case T::kNode: return ctx.graph.NodeProperties(v.node()).map();
    case T::kRelationship: return ctx.graph.RelProperties(v.rel()).map();
    default:
      TypeError("InvalidArgumentType", "SET takes a map of properties, not a " +
                std::string(TypeName(v.type())), pos);
  }
}

}  // namespace

void CreateParts(const std::vector<CreatePlan>& plans, Row& row, ExecContext& ctx) {
  QueryGraph& g = ctx.graph;
  for (const CreatePlan& plan : plans) {
    for (const auto& n : plan.nodes) {
      if (n.bound) {
        BoundNode(row, n.slot, n.pos);
        continue;
      }
      Map props = PropsOf(n.props, row, ctx);
      row[static_cast<size_t>(n.slot)] = Value::Node(g.CreateNode(n.label, props));
    }
    for (const auto& r : plan.rels) {
      NodeId left = BoundNode(row, r.left, r.pos);
      NodeId right = BoundNode(row, r.right, r.pos);
      Map props = PropsOf(r.props, row, ctx);
      const bool reverse = r.dir == Direction::kIn;
      row[static_cast<size_t>(r.slot)] =
          Value::Rel(g.CreateRelationship(reverse ? right : left, reverse ? left : right, r.type, props));
    }
    if (plan.path_slot >= 0) {
      Path p;
      for (size_t i = 0; i < plan.path_nodes.size(); ++i) {
        p.nodes.push_back(row[static_cast<size_t>(plan.path_nodes[i])].node());
        if (i < plan.rels.size()) p.relationships.push_back(row[static_cast<size_t>(plan.rels[i].slot)].rel());
      }
      row[static_cast<size_t>(plan.path_slot)] = Value::MakePath(std::move(p));
    }
  }
}

CreateOp::CreateOp(OpPtr child, std::vector<CreatePlan> plans, std::string describe)
    : Operator(std::move(child)), plans_(std::move(plans)), describe_(std::move(describe)) {}

bool CreateOp::Next(ExecContext& ctx, Row* row) {
  if (!child_->Next(ctx, row)) return false;
  CreateParts(plans_, *row, ctx);
  return true;
}

MergeOp::MergeOp(OpPtr child, std::unique_ptr<SubPlan> match, CreatePlan create,
                 std::vector<const SetItem*> on_create, std::vector<const SetItem*> on_match,
                 std::string describe)
    : Operator(std::move(child)),
      match_(std::move(match)),
      create_(std::move(create)),
      on_create_(std::move(on_create)),
      on_match_(std::move(on_match)),
      describe_(std::move(describe)) {}

void MergeOp::Reset() {
  Operator::Reset();
  out_.clear();
  charge_.Clear();
  pos_ = 0;
}

bool MergeOp::Next(ExecContext& ctx, Row* row) {
  for (;;) {
    if (pos_ < out_.size()) {
      *row = std::move(out_[pos_++]);
      return true;
    }
    out_.clear();
    charge_.Clear();
    pos_ = 0;
    input_.resize(row->size());
    if (!child_->Next(ctx, &input_)) return false;
    // MERGE (n {p: null}) could never match, and would create a node
    // without the property it asks for.
    auto refuse_nulls = [&](const Expr* props_expr, size_t pos) {
      if (!props_expr) return;
      Value props = Eval(*props_expr, input_, ctx);
      if (props.type() != T::kMap) return;
      for (const auto& [k, v] : props.map()) {
        if (v.is_null()) {
          SemanticError("MergeReadOwnWrites", "MERGE cannot match or create property `" + k +
                        "` with a null value", pos);
        }
      }
    };
    for (const auto& n : create_.nodes) {
      if (!n.bound) refuse_nulls(n.props, n.pos);
    }
    for (const auto& r : create_.rels) refuse_nulls(r.props, r.pos);
    // Read every match before writing anything (ON MATCH SET writes).
    match_->argument = &input_;
    match_->root->Reset();
    Row m(input_.size());
    while (match_->root->Next(ctx, &m)) {
      charge_.AddValues(ctx.memory, m);
      out_.push_back(m);
    }
    if (out_.empty()) {
      Row created = input_;
      CreateParts({create_}, created, ctx);
      ApplySetItems(on_create_, false, created, ctx);
      out_.push_back(std::move(created));
    } else {
      for (Row& r : out_) ApplySetItems(on_match_, false, r, ctx);
    }
    // From here the rows move on, one by one, to operators that charge
    // what they keep (the Eager behind every writing clause).
    charge_.Clear();
  }
}

void ApplySetItems(const std::vector<const SetItem*>& items, bool remove, Row& row,
                   ExecContext& ctx) {
  QueryGraph& g = ctx.graph;
  for (const SetItem* item : items) {
    switch (item->kind) {
      case SetItem::kProperty: {
        const Expr& target = *item->target;
        Value base = Eval(*target.args[0], row, ctx);
        if (base.is_null()) break;
        Value v = remove ? Value() : Eval(*item->value, row, ctx);
        if (base.type() == T::kNode) {
          g.SetNodeProperty(base.node(), target.name, v);
        } else if (base.type() == T::kRelationship) {
          g.SetRelProperty(base.rel(), target.name, v);
        } else {
          TypeError("InvalidArgumentType", "SET needs a node or a relationship, not a " +
                    std::string(TypeName(base.type())), item->pos);
        }
        break;
      }
      case SetItem::kReplace:
      case SetItem::kMerge: {
        Value base = Eval(*item->target, row, ctx);
        if (base.is_null()) break;
        Value v = Eval(*item->value, row, ctx);
        Map props = v.is_null() ? Map() : MapOf(v, ctx, item->value->pos);
        bool merge = item->kind == SetItem::kMerge;
        if (base.type() == T::kNode) {
          g.SetNodeProperties(base.node(), props, merge);
        } else if (base.type() == T::kRelationship) {
          g.SetRelProperties(base.rel(), props, merge);
        } else {
          TypeError("InvalidArgumentType", "SET needs a node or a relationship, not a " +
                    std::string(TypeName(base.type())), item->pos);
        }
        break;
      }
      case SetItem::kLabels: {
        Value base = Eval(*item->target, row, ctx);
        if (base.is_null()) break;
        if (base.type() != T::kNode) {
          TypeError("InvalidArgumentType", "labels belong to nodes, not to a " +
                    std::string(TypeName(base.type())), item->pos);
        }
        for (const auto& l : item->labels) {
          if (remove) {
            g.RemoveLabel(base.node(), l);
          } else {
            g.SetLabel(base.node(), l);
          }
        }
        break;
      }
    }
  }
}

SetOp::SetOp(OpPtr child, std::vector<const SetItem*> items, bool remove, std::string describe)
    : Operator(std::move(child)), items_(std::move(items)), remove_(remove), describe_(std::move(describe)) {}

bool SetOp::Next(ExecContext& ctx, Row* row) {
  if (!child_->Next(ctx, row)) return false;
  ApplySetItems(items_, remove_, *row, ctx);
  return true;
}

DeleteOp::DeleteOp(OpPtr child, std::vector<const Expr*> exprs, bool detach, std::string describe)
    : Operator(std::move(child)), exprs_(std::move(exprs)), detach_(detach), describe_(std::move(describe)) {}

bool DeleteOp::Next(ExecContext& ctx, Row* row) {
  if (!child_->Next(ctx, row)) return false;
  QueryGraph& g = ctx.graph;
  for (const Expr* e : exprs_) {
    Value v = Eval(*e, *row, ctx);
    switch (v.type()) {
      case T::kNull: break;
      case T::kNode: g.DeleteNode(v.node(), detach_); break;
      case T::kRelationship: g.DeleteRelationship(v.rel()); break;
      case T::kPath:
        for (const auto& r : v.path().relationships) g.DeleteRelationship(r);
        for (NodeId n : v.path().nodes) g.DeleteNode(n, detach_);
        break;
      default:
        TypeError("InvalidArgumentType", "DELETE takes nodes, relationships and paths, not a " +
                  std::string(TypeName(v.type())), e->pos);
    }
  }
  return true;
}

}  // namespace samverkan::cypher
