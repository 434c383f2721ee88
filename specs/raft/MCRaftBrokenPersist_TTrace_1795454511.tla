---- MODULE MCRaftBrokenPersist_TTrace_1795454511 ----
EXTENDS Sequences, TLCExt, MCRaftBrokenPersist, Toolbox, Naturals, TLC, MCRaftBrokenPersist_TEConstants

_expression ==
    LET MCRaftBrokenPersist_TEExpression == INSTANCE MCRaftBrokenPersist_TEExpression
    IN MCRaftBrokenPersist_TEExpression!expression
----

_trace ==
    LET MCRaftBrokenPersist_TETrace == INSTANCE MCRaftBrokenPersist_TETrace
    IN MCRaftBrokenPersist_TETrace!trace
----

_inv ==
    ~(
        TLCGet("level") = Len(_TETrace)
        /\
        votedFor = ((s1 :> s1 @@ s2 :> s2 @@ s3 :> s2))
        /\
        currentTerm = ((s1 :> 1 @@ s2 :> 1 @@ s3 :> 1))
        /\
        log = ((s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>))
        /\
        votesGranted = ((s1 :> {s1, s3} @@ s2 :> {s2, s3} @@ s3 :> {}))
        /\
        messages = (<<>>)
        /\
        matchIndex = ((s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)))
        /\
        state = ((s1 :> "Leader" @@ s2 :> "Leader" @@ s3 :> "Follower"))
        /\
        nextIndex = ((s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)))
        /\
        commitIndex = ((s1 :> 0 @@ s2 :> 0 @@ s3 :> 0))
    )
----

_init ==
    /\ messages = _TETrace[1].messages
    /\ matchIndex = _TETrace[1].matchIndex
    /\ log = _TETrace[1].log
    /\ state = _TETrace[1].state
    /\ commitIndex = _TETrace[1].commitIndex
    /\ currentTerm = _TETrace[1].currentTerm
    /\ nextIndex = _TETrace[1].nextIndex
    /\ votesGranted = _TETrace[1].votesGranted
    /\ votedFor = _TETrace[1].votedFor
----

_next ==
    /\ \E i,j \in DOMAIN _TETrace:
        /\ \/ /\ j = i + 1
              /\ i = TLCGet("level")
        /\ messages  = _TETrace[i].messages
        /\ messages' = _TETrace[j].messages
        /\ matchIndex  = _TETrace[i].matchIndex
        /\ matchIndex' = _TETrace[j].matchIndex
        /\ log  = _TETrace[i].log
        /\ log' = _TETrace[j].log
        /\ state  = _TETrace[i].state
        /\ state' = _TETrace[j].state
        /\ commitIndex  = _TETrace[i].commitIndex
        /\ commitIndex' = _TETrace[j].commitIndex
        /\ currentTerm  = _TETrace[i].currentTerm
        /\ currentTerm' = _TETrace[j].currentTerm
        /\ nextIndex  = _TETrace[i].nextIndex
        /\ nextIndex' = _TETrace[j].nextIndex
        /\ votesGranted  = _TETrace[i].votesGranted
        /\ votesGranted' = _TETrace[j].votesGranted
        /\ votedFor  = _TETrace[i].votedFor
        /\ votedFor' = _TETrace[j].votedFor

\* Uncomment the ASSUME below to write the states of the error trace
\* to the given file in Json format. Note that you can pass any tuple
\* to `JsonSerialize`. For example, a sub-sequence of _TETrace.
    \* ASSUME
    \*     LET J == INSTANCE Json
    \*         IN J!JsonSerialize("MCRaftBrokenPersist_TTrace_1795454511.json", _TETrace)

=============================================================================

 Note that you can extract this module `MCRaftBrokenPersist_TEExpression`
  to a dedicated file to reuse `expression` (the module in the 
  dedicated `MCRaftBrokenPersist_TEExpression.tla` file takes precedence 
  over the module `MCRaftBrokenPersist_TEExpression` below).

---- MODULE MCRaftBrokenPersist_TEExpression ----
EXTENDS Sequences, TLCExt, MCRaftBrokenPersist, Toolbox, Naturals, TLC, MCRaftBrokenPersist_TEConstants

expression == 
    [
        \* To hide variables of the `MCRaftBrokenPersist` spec from the error trace,
        \* remove the variables below.  The trace will be written in the order
        \* of the fields of this record.
        messages |-> messages
        ,matchIndex |-> matchIndex
        ,log |-> log
        ,state |-> state
        ,commitIndex |-> commitIndex
        ,currentTerm |-> currentTerm
        ,nextIndex |-> nextIndex
        ,votesGranted |-> votesGranted
        ,votedFor |-> votedFor
        
        \* Put additional constant-, state-, and action-level expressions here:
        \* ,_stateNumber |-> _TEPosition
        \* ,_messagesUnchanged |-> messages = messages'
        
        \* Format the `messages` variable as Json value.
        \* ,_messagesJson |->
        \*     LET J == INSTANCE Json
        \*     IN J!ToJson(messages)
        
        \* Lastly, you may build expressions over arbitrary sets of states by
        \* leveraging the _TETrace operator.  For example, this is how to
        \* count the number of times a spec variable changed up to the current
        \* state in the trace.
        \* ,_messagesModCount |->
        \*     LET F[s \in DOMAIN _TETrace] ==
        \*         IF s = 1 THEN 0
        \*         ELSE IF _TETrace[s].messages # _TETrace[s-1].messages
        \*             THEN 1 + F[s-1] ELSE F[s-1]
        \*     IN F[_TEPosition - 1]
    ]

=============================================================================



Parsing and semantic processing can take forever if the trace below is long.
 In this case, it is advised to uncomment the module below to deserialize the
 trace from a generated binary file.

\*
\*---- MODULE MCRaftBrokenPersist_TETrace ----
\*EXTENDS IOUtils, MCRaftBrokenPersist, TLC, MCRaftBrokenPersist_TEConstants
\*
\*trace == IODeserialize("MCRaftBrokenPersist_TTrace_1795454511.bin", TRUE)
\*
\*=============================================================================
\*

---- MODULE MCRaftBrokenPersist_TETrace ----
EXTENDS MCRaftBrokenPersist, TLC, MCRaftBrokenPersist_TEConstants

trace == 
    <<
    ([votedFor |-> (s1 :> Nil @@ s2 :> Nil @@ s3 :> Nil),currentTerm |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {} @@ s2 :> {} @@ s3 :> {}),messages |-> <<>>,matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Follower" @@ s2 :> "Follower" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> Nil @@ s3 :> Nil),currentTerm |-> (s1 :> 1 @@ s2 :> 0 @@ s3 :> 0),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1} @@ s2 :> {} @@ s3 :> {}),messages |-> <<>>,matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Candidate" @@ s2 :> "Follower" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> s2 @@ s3 :> Nil),currentTerm |-> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 0),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1} @@ s2 :> {s2} @@ s3 :> {}),messages |-> <<>>,matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Candidate" @@ s2 :> "Candidate" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> s2 @@ s3 :> Nil),currentTerm |-> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 0),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1} @@ s2 :> {s2} @@ s3 :> {}),messages |-> ([mlastLogTerm |-> 0, mlastLogIndex |-> 0, mtype |-> "RequestVoteRequest", mterm |-> 1, msource |-> s1, mdest |-> s3] :> 1),matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Candidate" @@ s2 :> "Candidate" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> s2 @@ s3 :> Nil),currentTerm |-> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 0),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1} @@ s2 :> {s2} @@ s3 :> {}),messages |-> ([mlastLogTerm |-> 0, mlastLogIndex |-> 0, mtype |-> "RequestVoteRequest", mterm |-> 1, msource |-> s1, mdest |-> s3] :> 1 @@ [mlastLogTerm |-> 0, mlastLogIndex |-> 0, mtype |-> "RequestVoteRequest", mterm |-> 1, msource |-> s2, mdest |-> s3] :> 1),matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Candidate" @@ s2 :> "Candidate" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> s2 @@ s3 :> s1),currentTerm |-> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1} @@ s2 :> {s2} @@ s3 :> {}),messages |-> ([mtype |-> "RequestVoteResponse", mterm |-> 1, msource |-> s3, mdest |-> s1, mvoteGranted |-> TRUE] :> 1 @@ [mlastLogTerm |-> 0, mlastLogIndex |-> 0, mtype |-> "RequestVoteRequest", mterm |-> 1, msource |-> s2, mdest |-> s3] :> 1),matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Candidate" @@ s2 :> "Candidate" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> s2 @@ s3 :> Nil),currentTerm |-> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1} @@ s2 :> {s2} @@ s3 :> {}),messages |-> ([mtype |-> "RequestVoteResponse", mterm |-> 1, msource |-> s3, mdest |-> s1, mvoteGranted |-> TRUE] :> 1 @@ [mlastLogTerm |-> 0, mlastLogIndex |-> 0, mtype |-> "RequestVoteRequest", mterm |-> 1, msource |-> s2, mdest |-> s3] :> 1),matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Candidate" @@ s2 :> "Candidate" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> s2 @@ s3 :> s2),currentTerm |-> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1} @@ s2 :> {s2} @@ s3 :> {}),messages |-> ([mtype |-> "RequestVoteResponse", mterm |-> 1, msource |-> s3, mdest |-> s1, mvoteGranted |-> TRUE] :> 1 @@ [mtype |-> "RequestVoteResponse", mterm |-> 1, msource |-> s3, mdest |-> s2, mvoteGranted |-> TRUE] :> 1),matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Candidate" @@ s2 :> "Candidate" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> s2 @@ s3 :> s2),currentTerm |-> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1, s3} @@ s2 :> {s2} @@ s3 :> {}),messages |-> ([mtype |-> "RequestVoteResponse", mterm |-> 1, msource |-> s3, mdest |-> s2, mvoteGranted |-> TRUE] :> 1),matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Candidate" @@ s2 :> "Candidate" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> s2 @@ s3 :> s2),currentTerm |-> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1, s3} @@ s2 :> {s2} @@ s3 :> {}),messages |-> ([mtype |-> "RequestVoteResponse", mterm |-> 1, msource |-> s3, mdest |-> s2, mvoteGranted |-> TRUE] :> 1),matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Leader" @@ s2 :> "Candidate" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> s2 @@ s3 :> s2),currentTerm |-> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1, s3} @@ s2 :> {s2, s3} @@ s3 :> {}),messages |-> <<>>,matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Leader" @@ s2 :> "Candidate" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)]),
    ([votedFor |-> (s1 :> s1 @@ s2 :> s2 @@ s3 :> s2),currentTerm |-> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1),log |-> (s1 :> <<>> @@ s2 :> <<>> @@ s3 :> <<>>),votesGranted |-> (s1 :> {s1, s3} @@ s2 :> {s2, s3} @@ s3 :> {}),messages |-> <<>>,matchIndex |-> (s1 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s2 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0) @@ s3 :> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)),state |-> (s1 :> "Leader" @@ s2 :> "Leader" @@ s3 :> "Follower"),nextIndex |-> (s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s3 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1)),commitIndex |-> (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)])
    >>
----


=============================================================================

---- MODULE MCRaftBrokenPersist_TEConstants ----
EXTENDS MCRaftBrokenPersist

CONSTANTS s1, s2, s3, v1

=============================================================================

---- CONFIG MCRaftBrokenPersist_TTrace_1795454511 ----
CONSTANTS
    Server = { s1 , s2 , s3 }
    Value = { v1 }
    Nil = Nil
    VoteAfterRestart <- BrokenVoteAfterRestart
    MaxTerm = 2
    MaxLogLen = 1
    MaxMessages = 2
    MaxCopies = 1
    s3 = s3
    Nil = Nil
    v1 = v1
    s1 = s1
    s2 = s2

INVARIANT
    _inv

CHECK_DEADLOCK
    \* CHECK_DEADLOCK off because of PROPERTY or INVARIANT above.
    FALSE

INIT
    _init

NEXT
    _next

CONSTANT
    _TETrace <- _trace

ALIAS
    _expression
=============================================================================
\* Generated on Mon Nov 23 17:22:53 UTC 2026