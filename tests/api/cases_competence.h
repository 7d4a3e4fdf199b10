/*
 * cases_competence.h: the competence cases (cases_competence.c,
 * cases_competence_access.c) and their rows of test_api.c's table. Each
 * case makes all it needs under its own id prefix and needs no other case
 * nor any order, so the rows sit here together and the table takes them
 * with one line; AUDITORD_API_ONLY=competence runs only them.
 */
#ifndef CASES_COMPETENCE_H
#define CASES_COMPETENCE_H

void	competence_qualifications(void);
void	competence_trainings(void);
void	competence_evaluations(void);
void	competence_declarations(void);
void	competence_rules(void);
void	competence_references(void);
void	competence_verification(void);
void	competence_own_scope(void);
void	competence_roles(void);
void	competence_events(void);
#define COMPETENCE_CASES						\
	CASE(competence_qualifications,					\
	    "competence: qualifications CRUD, filters, dates, pages"),	\
	CASE(competence_trainings,					\
	    "competence: trainings CRUD, filters, dates, pages, hours"),	\
	CASE(competence_evaluations,					\
	    "competence: evaluations CRUD, filters, dates, pages"),	\
	CASE(competence_declarations,					\
	    "competence: declarations CRUD, filters, dates, pages"),	\
	CASE(competence_rules,						\
	    "competence: 422 paths for references, dates, hours, rules"), \
	CASE(competence_references,					\
	    "competence: 409 on delete of a referenced auditor or area"), \
	CASE(competence_verification,					\
	    "competence: HR verification sets verified_by and _on"),	\
	CASE(competence_own_scope,					\
	    "competence: role auditor sees and writes only its own"),	\
	CASE(competence_roles,						\
	    "competence: manager, hr and viewer grants"),		\
	CASE(competence_events,						\
	    "competence: events for every change, chain verifies")

#endif
