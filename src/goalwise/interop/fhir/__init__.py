"""FHIR R4: a client's record as a Bundle, our checks of codes and references, and the import of
PHQ-9 and GAD-7 QuestionnaireResponses and Observations."""
