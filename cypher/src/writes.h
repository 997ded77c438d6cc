// The operators that write: CREATE, MERGE, SET, REMOVE, DELETE.
//
// They write through the query's transaction (QueryGraph), one input row at
// a time, and pass each row on with what they bound (created nodes and
// relationships). The planner puts an Eager operator after every clause of
// a query that writes, so each clause sees all the writes of the clauses
// before it and none of its own (except MERGE, which must).
#pragma once

#include <string>
#include <vector>

#include "operators.h"

namespace samverkan::cypher {

// A pattern part as CREATE (or MERGE, when nothing matched) writes it.
struct CreatePlan {
  struct NodeSpec {
    int slot;
    bool bound;         // bound before, or earlier in the same clause
    std::string label;  // "" for none
    const Expr* props;  // a map expression, or null
    size_t pos;
  };
  struct RelSpec {
    int slot;
    int left, right;  // node slots, in the order written
    Direction dir;    // kOut: left -> right; kIn: right -> left; kBoth (MERGE): left -> right
    std::string type;
    const Expr* props;
    size_t pos;
  };
  std::vector<NodeSpec> nodes;
  std::vector<RelSpec> rels;
  int path_slot = -1;
  std::vector<int> path_nodes;  // for the path: the node slots in order
};

// Writes the parts of `plans` for one row.
void CreateParts(const std::vector<CreatePlan>& plans, Row& row, ExecContext& ctx);

class CreateOp final : public Operator {
 public:
  CreateOp(OpPtr child, std::vector<CreatePlan> plans, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  std::string Describe() const override { return describe_; }

 private:
  std::vector<CreatePlan> plans_;
  std::string describe_;
};

class MergeOp final : public Operator {
 public:
  MergeOp(OpPtr child, std::unique_ptr<SubPlan> match, CreatePlan create,
          std::vector<const SetItem*> on_create, std::vector<const SetItem*> on_match,
          std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  void Reset() override;
  std::string Describe() const override { return describe_; }
  std::vector<const Operator*> Nested() const override { return {match_->root.get()}; }

 private:
  std::unique_ptr<SubPlan> match_;
  CreatePlan create_;
  std::vector<const SetItem*> on_create_, on_match_;
  std::string describe_;
  Row input_;
  std::vector<Row> out_;  // every match of one input row, read before writing
  MemoryCharge charge_;   // out_, while the matches are read
  size_t pos_ = 0;
};

// SET and REMOVE.
class SetOp final : public Operator {
 public:
  SetOp(OpPtr child, std::vector<const SetItem*> items, bool remove, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  std::string Describe() const override { return describe_; }

 private:
  std::vector<const SetItem*> items_;
  bool remove_;
  std::string describe_;
};

class DeleteOp final : public Operator {
 public:
  DeleteOp(OpPtr child, std::vector<const Expr*> exprs, bool detach, std::string describe);
  bool Next(ExecContext& ctx, Row* row) override;
  std::string Describe() const override { return describe_; }

 private:
  std::vector<const Expr*> exprs_;
  bool detach_;
  std::string describe_;
};

// Applies SET items to one row.
void ApplySetItems(const std::vector<const SetItem*>& items, bool remove, Row& row,
                   ExecContext& ctx);

}  // namespace samverkan::cypher
